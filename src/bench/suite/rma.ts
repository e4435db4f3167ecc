// One-sided latency: an 8-byte Put or Get completed by a flush inside a
// lockAll epoch, and an 8-byte Put completed by a fence.
import { batches, mpiLoop, num } from '../runtime';
import type { Benchmark, Figures } from '../types';
import { batchCount, count, vsC } from './common';

const KEYS = ['put-flush-8', 'get-flush-8', 'put-fence-8'] as const;
const LABELS: Record<(typeof KEYS)[number], string> = {
  'put-flush-8': '8-byte Put + flush',
  'get-flush-8': '8-byte Get + flush',
  'put-fence-8': '8-byte Put + fence',
};

export const rma: Benchmark = {
  name: 'rma',
  title: 'One-sided Put/Get latency',
  method:
    'Two ranks share a Win.allocate window of 8 doubles (C: MPI_Win_allocate). Rank 0 puts or gets one ' +
    'double at rank 1 and completes it with flush(1) inside one lockAll epoch, or puts one and both ranks ' +
    'fence. Figure: microseconds per operation, median of the batches of a launch, then median over rounds.',
  launches(o) {
    const iters = count(o, 10000, 2000);
    const b = batchCount(o);
    return [
      { impl: 'mpi-loop', ranks: 2, args: { iterations: iters, batches: b } },
      { impl: 'c', ranks: 2, args: ['rma', String(b), String(iters)] },
    ];
  },
  metrics: () =>
    KEYS.map((key) => ({
      id: key,
      label: LABELS[key],
      unit: 'us' as const,
      better: 'lower' as const,
      key,
      baselines: [vsC(key)],
    })),
  measure(p): Figures | undefined {
    const { COMM_WORLD: w, Win } = mpiLoop();
    const iterations = num(p, 'iterations', 10000);
    const n = num(p, 'batches', 5);
    const win = Win.allocate(64, 8, null, w);
    const value = Float64Array.of(1);
    const figures: Figures = {};
    for (const key of KEYS) {
      figures[key] = batches(n, () => {
        w.Barrier();
        const t0 = performance.now();
        if (key === 'put-fence-8') {
          win.fence();
          for (let i = 0; i < iterations; i++) {
            if (w.rank === 0) win.Put(value, 1, 0);
            win.fence();
          }
        } else if (w.rank === 0) {
          win.lockAll();
          for (let i = 0; i < iterations; i++) {
            if (key === 'put-flush-8') win.Put(value, 1, 0);
            else win.Get(value, 1, 0);
            win.flush(1);
          }
          win.unlockAll();
        }
        return ((performance.now() - t0) * 1e3) / iterations;
      });
    }
    win.free();
    return w.rank === 0 ? figures : undefined;
  },
};
