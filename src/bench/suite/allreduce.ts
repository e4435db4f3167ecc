// Allreduce of 8 B and 1 MiB of float64 (SUM).
import { batches, mpiLoop } from '../runtime';
import type { Benchmark, Figures, Options } from '../types';
import { count, pairs, vsC, vsPython } from './common';

const plan = (o: Options): Array<[number, number]> => [
  [8, count(o, 20000, 3000)],
  [1 << 20, count(o, 100, 30)],
];

export const allreduce: Benchmark = {
  name: 'allreduce',
  title: 'Allreduce of 8 B and 1 MiB',
  method:
    'Two ranks run Allreduce(SUM) on Float64Arrays of 1 and 131072 elements (mpi4py: comm.Allreduce ' +
    'of numpy float64 arrays; C: MPI_Allreduce on MPI_DOUBLE). Figure: microseconds per operation, median ' +
    'of the batches of a launch, then median over rounds.',
  launches(o) {
    const b = String(count(o, 3, 2));
    return [
      { impl: 'mpi-loop', ranks: 2, args: { plan: plan(o), batches: Number(b) } },
      { impl: 'c', ranks: 2, args: ['allreduce', b, ...pairs(plan(o))] },
      { impl: 'python', ranks: 2, args: ['allreduce.py', b, ...pairs(plan(o))] },
    ];
  },
  metrics: () =>
    [8, 1 << 20].map((s) => ({
      id: `allreduce-${s}`,
      label: `Allreduce ${s === 8 ? '8 B' : '1 MiB'}`,
      unit: 'us' as const,
      better: 'lower' as const,
      key: `allreduce-${s}`,
      baselines: [vsC(`allreduce-${s}`), vsPython(`allreduce-${s}`)],
    })),
  measure(p): Figures | undefined {
    const { COMM_WORLD: w, SUM } = mpiLoop();
    const figures: Figures = {};
    for (const [bytes, iterations] of p.plan as Array<[number, number]>) {
      const src = new Float64Array(bytes / 8).map((_, i) => w.rank + i);
      const dst = new Float64Array(bytes / 8);
      figures[`allreduce-${bytes}`] = batches(Number(p.batches ?? 5), () => {
        w.Barrier();
        const t0 = performance.now();
        for (let i = 0; i < iterations; i++) w.Allreduce(src, dst, SUM);
        return ((performance.now() - t0) * 1e3) / iterations;
      });
    }
    return w.rank === 0 ? figures : undefined;
  },
};
