// How the event-loop benchmarks time call() on rank 0.
import { batches, fitCount, median, mpiLoop, workloads } from '../runtime';

export const LOOP_METHOD =
  "Rank 0's time per call over many back-to-back calls, ended by one synchronising call " +
  "(a barrier run on every rank), so that the workers' work is included: call() returns on rank 0 without waiting " +
  "for the workers, as pyMOR's call does (its bcast of a small message returns as soon as it is sent). " +
  'Median of the batches of a launch (after a warm-up of as many calls as a batch, within the time budget, ' +
  'then one warm-up batch), then median over rounds. ' +
  'With a time budget (call-noop, call-gather, call-ranks and their baselines), a batch has fewer calls when ' +
  'they would take longer than 1 s (quick) or 5 s: a first run of 50 times them. ' +
  "pyMOR-style: scripts/bench/pymor_loop.py, pyMOR's event loop (workers loop on comm.bcast((f, args, kwargs)) " +
  'and run it; call() broadcasts then runs locally), functions pickled by reference. ' +
  'C: scripts/bench/loop.c, workers loop on MPI_Bcast of a 16-byte command.';

/**
 * Microseconds per call(f, ...args) on rank 0 (see LOOP_METHOD). A batch has
 * fewer than `calls` calls when they would outlast `budgetMs` (a first run of
 * up to 50 times them).
 */
export function perCall(
  calls: number,
  batchCount: number,
  budgetMs: number,
  f: (...a: never[]) => unknown,
  ...args: unknown[]
): number {
  return perCallWithCpu(calls, batchCount, budgetMs, f, ...args).wall;
}

/**
 * perCall, and rank 0's CPU time per call over the calls alone (without the
 * synchronising call): what sending the commands costs rank 0 itself, which
 * waiting for descheduled workers on an oversubscribed host does not inflate.
 * Medians over the same batches.
 */
export function perCallWithCpu(
  calls: number,
  batchCount: number,
  budgetMs: number,
  f: (...a: never[]) => unknown,
  ...args: unknown[]
): { wall: number; cpu: number } {
  const { call } = mpiLoop();
  const { barrier } = workloads();
  const run = call as (g: (...a: never[]) => unknown, ...a: unknown[]) => unknown;
  const probe = Math.min(calls, 50);
  call(barrier);
  // Warm-up first, within the budget: a JIT-compiled implementation's ranks
  // reach their optimised code only after thousands of commands, each of
  // which, with many ranks on few cores, waits for its turn; the probe would
  // otherwise size the batches from cold calls, leaving them all in the warm-up.
  const w0 = performance.now();
  for (let i = 0; i < calls && (i % 64 !== 0 || performance.now() - w0 < budgetMs); i++) run(f, ...args);
  call(barrier);
  const p0 = performance.now();
  for (let i = 0; i < probe; i++) run(f, ...args);
  call(barrier);
  calls = fitCount(calls, probe, performance.now() - p0, budgetMs);
  const cpu: number[] = [];
  const wall = batches(batchCount, () => {
    call(barrier);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) run(f, ...args);
    const c = process.cpuUsage(c0);
    call(barrier);
    cpu.push((c.user + c.system) / calls);
    return ((performance.now() - t0) * 1e3) / calls;
  });
  // The first batch warms up, as in batches().
  return { wall, cpu: median(cpu.slice(1)) };
}
