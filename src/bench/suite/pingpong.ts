// 8-byte buffer Send/Recv pingpong between two ranks: the latency floor.
import { batches, iterationsWithin, mpiLoop, num } from '../runtime';
import type { Benchmark, Figures } from '../types';
import { batchBudgetMs, batchCount, count, pairs, vsC, vsPython } from './common';

/**
 * One-way time in microseconds (half a round trip) of Send/Recv pingpongs of
 * `size` bytes; a batch has fewer than `iterations` when they would outlast
 * `budgetMs`.
 */
export function bufferPingpong(size: number, iterations: number, batchesPerSize: number, budgetMs = Infinity): number {
  const { COMM_WORLD: w } = mpiLoop();
  const buf = new Uint8Array(size).fill(1);
  const roundTrip = (): void => {
    if (w.rank === 0) {
      w.Send(buf, 1, 0);
      w.Recv(buf, 1, 0);
    } else if (w.rank === 1) {
      w.Recv(buf, 0, 0);
      w.Send(buf, 0, 0);
    }
  };
  const n = iterationsWithin(w, roundTrip, iterations, budgetMs);
  return batches(batchesPerSize, () => {
    w.Barrier();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) roundTrip();
    return ((performance.now() - t0) * 1e3) / n / 2;
  });
}

export const pingpong: Benchmark = {
  name: 'pingpong',
  title: '8-byte Send/Recv pingpong',
  method:
    'Two ranks exchange an 8-byte buffer with blocking Send/Recv (mpi-loop: Uint8Array; mpi4py: ' +
    'numpy uint8 array; C: MPI_BYTE). Figure: one-way time in microseconds (half the round trip), median ' +
    'of the batches of a launch (after one warm-up batch), then median over rounds. A batch has fewer round ' +
    'trips when they would take longer than 1 s (quick) or 5 s: a first run of 50 times them.',
  launches(o) {
    const iters = count(o, 20000, 5000);
    const b = batchCount(o);
    return [
      { impl: 'mpi-loop', ranks: 2, args: { iterations: iters, batches: b, budgetMs: batchBudgetMs(o) } },
      { impl: 'c', ranks: 2, args: ['pingpong', String(b), `budget=${batchBudgetMs(o)}`, ...pairs([[8, iters]])] },
      {
        impl: 'python',
        ranks: 2,
        args: ['pingpong.py', 'buffer', String(b), `budget=${batchBudgetMs(o)}`, ...pairs([[8, iters]])],
      },
    ];
  },
  metrics: () => [
    {
      id: 'latency-8B',
      label: '8-byte Send/Recv latency',
      unit: 'us',
      better: 'lower',
      key: 'oneway-8',
      baselines: [vsC('oneway-8'), vsPython('oneway-8')],
      targets: [{ text: 'within 2x of C', against: 'c', maxRatio: 2 }],
    },
  ],
  measure(p): Figures | undefined {
    const t = bufferPingpong(8, num(p, 'iterations', 10000), num(p, 'batches', 5), num(p, 'budgetMs', Infinity));
    return mpiLoop().COMM_WORLD.rank === 0 ? { 'oneway-8': t } : undefined;
  },
};
