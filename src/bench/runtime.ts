// The mpi-loop side of a benchmark loads the package only on the ranks of an
// mpirun job: the suite's driver imports the benchmark definitions too, and
// must not initialise MPI.
import type * as MpiLoop from '../index';
import type * as Workloads from './workloads';

export function mpiLoop(): typeof MpiLoop {
  return require('../index') as typeof MpiLoop;
}

/** The functions benchmarks pass to call(): exported, so they go by reference. */
export function workloads(): typeof Workloads {
  return require('./workloads') as typeof Workloads;
}

/** Median of a list of numbers (the list is sorted in place). */
export function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const n = values.length;
  return n % 2 ? values[(n - 1) / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/** Runs `body` batches+1 times (the first warms up) and returns the median of what it returns. */
export function batches(count: number, body: () => number): number {
  const t: number[] = [];
  for (let b = -1; b < count; b++) {
    const v = body();
    if (b >= 0) t.push(v);
  }
  return median(t);
}

export const num = (p: Record<string, unknown>, key: string, fallback: number): number =>
  typeof p[key] === 'number' ? (p[key] as number) : fallback;

/**
 * Iterations per batch of an SPMD loop of collective `body`: `iterations`,
 * or fewer when a call is so slow that a batch would outlast `budgetMs`, as
 * it is when the ranks outnumber the free cores under an MPI that busy-polls
 * without yielding (MPICH): each call then waits for time slices. A short
 * first run times the call (and warms it up); every rank takes rank 0's count.
 */
export function iterationsWithin(
  comm: typeof MpiLoop.COMM_WORLD,
  body: () => unknown,
  iterations: number,
  budgetMs: number,
): number {
  const probe = Math.min(iterations, 50);
  comm.barrier();
  const t0 = performance.now();
  for (let i = 0; i < probe; i++) body();
  const fit = fitCount(iterations, probe, performance.now() - t0, budgetMs);
  return comm.bcast(comm.rank === 0 ? fit : null, 0) as number;
}

/** `iterations`, or fewer (never below `probe`) when `probe` of them took `elapsedMs` and all would outlast `budgetMs`. */
export function fitCount(iterations: number, probe: number, elapsedMs: number, budgetMs: number): number {
  if (probe <= 0) return iterations;
  const perCall = elapsedMs / probe;
  return Math.max(probe, Math.min(iterations, Math.floor(budgetMs / perCall)));
}
