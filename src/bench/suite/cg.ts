// CG iterations per second of the distributed 2D Poisson solver
// (examples/solver) at 2 and 4 ranks, against the same CG in pyMOR's style.
import type { Benchmark, Launch, Metric, Options } from '../types';
import { count, vsPyMOR } from './common';

const RANKS = [2, 4];
/** Grid side: the full run solves 256x256 (as examples/solver/README.md does), quick 64x64. */
const size = (o: Options): number => count(o, 256, 64);
const repeat = (o: Options): number => count(o, 5, 3);

export const cg: Benchmark = {
  name: 'cg',
  title: 'distributed CG on the 2D Poisson problem',
  method:
    'examples/solver/solve.mjs N --repeat R --json (objects on every rank driven from rank 0 through ' +
    'mpi-loop/parallel proxies, under the event loop; the vector loops and the stencil are WebAssembly SIMD ' +
    'kernels, examples/solver/kernels.wat) against scripts/bench/cg_mpi4py.py N --repeat R (the same ' +
    "CG with mpi4py and NumPy through pyMOR's event loop: call, method_call, managed objects), at 2 and 4 ranks " +
    '(4 oversubscribed on 2 cores). Each job does one untimed solve from zero, then R timed ones, tolerance 1e-10. ' +
    'Figure: CG iterations per second over the timed solves (N = 256, R = 5; quick: N = 64, R = 3), median ' +
    'over rounds. Higher is better. No C baseline.',
  pythonNeedsNumpy: true,
  launches(o) {
    const args = [String(size(o)), '--repeat', String(repeat(o))];
    return RANKS.flatMap((n): Launch[] => [
      {
        impl: 'mpi-loop',
        ranks: n,
        loop: true,
        script: 'examples/solver/solve.mjs',
        args: [...args, '--json'],
        output: 'json',
        prefix: `n${n}:`,
      },
      { impl: 'python', ranks: n, args: ['cg_mpi4py.py', ...args], output: 'json', prefix: `n${n}:` },
    ]);
  },
  metrics: (o) =>
    RANKS.map((n): Metric => ({
      id: `cg-${n}-ranks`,
      label: `CG ${size(o)}x${size(o)} at ${n} ranks`,
      unit: 'it/s',
      better: 'higher',
      key: `n${n}:itersPerSecond`,
      baselines: [vsPyMOR(`n${n}:itersPerSecond`)],
      targets: [{ text: "at least 1.2x pyMOR-style's rate", against: 'python', minRatio: 1.2 }],
    })),
};
