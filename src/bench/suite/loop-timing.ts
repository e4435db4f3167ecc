// How the event-loop benchmarks time call() on rank 0.
import { batches, mpiLoop, workloads } from '../runtime';

export const LOOP_METHOD =
  "Rank 0's time per call over many back-to-back calls, ended by one synchronising call " +
  "(a barrier run on every rank), so that the workers' work is included: call() returns on rank 0 without waiting " +
  "for the workers, as pyMOR's call does (its bcast of a small message returns as soon as it is sent). " +
  'Median of the batches of a launch (after one warm-up batch), then median over rounds. ' +
  "pyMOR-style: scripts/bench/pymor_loop.py, pyMOR's event loop (workers loop on comm.bcast((f, args, kwargs)) " +
  'and run it; call() broadcasts then runs locally), functions pickled by reference. ' +
  'C: scripts/bench/loop.c, workers loop on MPI_Bcast of a 16-byte command.';

/** Microseconds per call(f, ...args) on rank 0 (see LOOP_METHOD). */
export function perCall(calls: number, batchCount: number, f: (...a: never[]) => unknown, ...args: unknown[]): number {
  const { call } = mpiLoop();
  const { barrier } = workloads();
  const run = call as (g: (...a: never[]) => unknown, ...a: unknown[]) => unknown;
  return batches(batchCount, () => {
    call(barrier);
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) run(f, ...args);
    call(barrier);
    return ((performance.now() - t0) * 1e3) / calls;
  });
}
