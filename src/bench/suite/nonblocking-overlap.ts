// Nonblocking collective overlap: a 1 MiB Iallreduce overlapped with
// computation, against Allreduce followed by the same computation.
import { batches, mpiLoop } from '../runtime';
import type { Benchmark, Figures, Options } from '../types';
import { count, vsC } from './common';

const N = 1 << 17;
const WORK = 1 << 16;
const CHUNKS = 16;

export const nonblockingOverlap: Benchmark = {
  name: 'nonblocking-overlap',
  title: 'Nonblocking collective overlap',
  method:
    `Two ranks reduce ${N} float64 (1 MiB, SUM) and compute ${CHUNKS} passes of y = 0.999 y + x over ${WORK} ` +
    'float64 per iteration: blocking (Allreduce, then the passes) and overlapped (Iallreduce, the passes with a ' +
    'test() between them, then wait). C: the same with MPI_Allreduce / MPI_Iallreduce and MPI_Test. Figure: ' +
    'microseconds per iteration, median of the batches of a launch, then median over rounds.',
  launches(o: Options) {
    const b = String(count(o, 3, 2));
    const iterations = count(o, 40, 10);
    return [
      { impl: 'mpi-loop', ranks: 2, args: { iterations, batches: Number(b) } },
      { impl: 'c', ranks: 2, args: ['overlap', b, String(iterations), String(CHUNKS)] },
    ];
  },
  metrics: () =>
    (['blocking', 'nonblocking'] as const).map((form) => ({
      id: `overlap-${form}`,
      label: form === 'blocking' ? 'Allreduce 1 MiB, then compute' : 'Iallreduce 1 MiB overlapped with compute',
      unit: 'us' as const,
      better: 'lower' as const,
      key: `overlap-${form}`,
      baselines: [vsC(`overlap-${form}`)],
    })),
  measure(p): Figures | undefined {
    const { COMM_WORLD: w, SUM } = mpiLoop();
    const iterations = Number(p.iterations ?? 20);
    const src = new Float64Array(N).map((_, i) => w.rank + i);
    const dst = new Float64Array(N);
    const x = new Float64Array(WORK).map((_, i) => i * 1e-6);
    const y = new Float64Array(WORK);
    const pass = (): void => {
      for (let i = 0; i < WORK; i++) y[i] = 0.999 * y[i] + x[i];
    };
    const figures: Figures = {};
    figures['overlap-blocking'] = batches(Number(p.batches ?? 3), () => {
      w.Barrier();
      const t0 = performance.now();
      for (let it = 0; it < iterations; it++) {
        w.Allreduce(src, dst, SUM);
        for (let c = 0; c < CHUNKS; c++) pass();
      }
      return ((performance.now() - t0) * 1e3) / iterations;
    });
    figures['overlap-nonblocking'] = batches(Number(p.batches ?? 3), () => {
      w.Barrier();
      const t0 = performance.now();
      for (let it = 0; it < iterations; it++) {
        const req = w.Iallreduce(src, dst, SUM);
        let done = false;
        for (let c = 0; c < CHUNKS; c++) {
          pass();
          if (!done) done = req.test();
        }
        // A synchronous wait: test() drives MPI's progress until completion.
        while (!done) done = req.test();
      }
      return ((performance.now() - t0) * 1e3) / iterations;
    });
    return w.rank === 0 ? figures : undefined;
  },
};
