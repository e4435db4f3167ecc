// Pieces the benchmark definitions share: counts by mode, the usual baselines.
import type { Comparison, Options } from '../types';

/** A count for the mode: the full figure, or the quick one. */
export const count = (o: Options, full: number, quick: number): number => (o.quick ? quick : full);

/** Batches per launch: each launch reports the median of its batches. */
export const batchCount = (o: Options): number => (o.quick ? 2 : 5);

export const vsC = (key: string, label = 'C'): Comparison => ({ id: 'c', impl: 'c', label, key });
export const vsPython = (key: string, label = 'mpi4py'): Comparison => ({ id: 'python', impl: 'python', label, key });
export const vsPyMOR = (key: string): Comparison => vsPython(key, 'pyMOR-style');

/**
 * Milliseconds a batch may take (quick, full): a batch has fewer iterations
 * when they would take longer, as on a machine with fewer free cores than
 * ranks that busy-poll (MPICH), where a call waits for time slices.
 */
export const batchBudgetMs = (o: Options): number => (o.quick ? 1000 : 5000);

/** "SIZE:COUNT" arguments of the C and Python programs. */
export const pairs = (list: Array<[number, number]>): string[] => list.map(([s, n]) => `${s}:${n}`);
