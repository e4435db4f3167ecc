// Small-object pingpong: the codec's hot path, against mpi4py's pickle.
import { batches, mpiLoop, num } from '../runtime';
import type { Benchmark, Figures } from '../types';
import { batchCount, count, pairs, vsC, vsPython } from './common';

export const objectPingpong: Benchmark = {
  name: 'object-pingpong',
  title: 'small-object send/recv pingpong',
  method:
    'Two ranks exchange {a: 7, b: 3.14, c: [1, 2, 3]} with the object methods send/recv (mpi4py: ' +
    'comm.send/comm.recv of the same dict, pickled). The receiver sends back what it received. Figure: ' +
    "one-way time in microseconds, as for pingpong; compared with mpi4py and with C's 8-byte latency.",
  launches(o) {
    const iters = count(o, 20000, 4000);
    const b = batchCount(o);
    return [
      { impl: 'mpi-loop', ranks: 2, args: { iterations: iters, batches: b } },
      { impl: 'c', ranks: 2, args: ['pingpong', String(b), ...pairs([[8, iters]])] },
      { impl: 'python', ranks: 2, args: ['pingpong.py', 'object', String(b), String(iters)] },
    ];
  },
  metrics: () => [
    {
      id: 'object',
      label: 'small-object send/recv latency',
      unit: 'us',
      better: 'lower',
      key: 'object',
      baselines: [vsC('oneway-8', 'C 8-byte Send/Recv'), vsPython('object')],
      targets: [
        { text: 'at most 0.8x of mpi4py', against: 'python', maxRatio: 0.8 },
        { text: 'within 10x of C 8-byte', against: 'c', maxRatio: 10 },
      ],
    },
  ],
  measure(p): Figures | undefined {
    const { COMM_WORLD: w } = mpiLoop();
    const iterations = num(p, 'iterations', 10000);
    const obj = { a: 7, b: 3.14, c: [1, 2, 3] };
    const t = batches(num(p, 'batches', 5), () => {
      w.barrier();
      const t0 = performance.now();
      for (let i = 0; i < iterations; i++) {
        if (w.rank === 0) {
          w.send(obj, 1, 0);
          w.recv(1, 0);
        } else if (w.rank === 1) {
          w.send(w.recv(0, 0), 0, 0);
        }
      }
      return ((performance.now() - t0) * 1e3) / iterations / 2;
    });
    return w.rank === 0 ? { object: t } : undefined;
  },
};
