// Tiny-task throughput of PoolExecutor.map (mpi-loop/futures) against
// mpi4py.futures' MPIPoolExecutor.map at 3 ranks, chunksize 1 and 100.
import type { Benchmark, Launch, Metric, Options } from '../types';
import { count, vsPython } from './common';

const RANKS = 3;
/** Chunksize, and the minimum ratio to mpi4py's rate the target asks for. */
const CHUNKS: Array<[number, number]> = [
  [1, 2],
  [100, 1],
];
/** Enough tasks for a steady rate (as scripts/bench/futures-throughput.mjs), a tenth in quick mode. */
const tasks = (o: Options, chunksize: number): number =>
  chunksize === 1 ? count(o, 20000, 2000) : count(o, 200000, 20000);

export const futures: Benchmark = {
  name: 'futures',
  title: 'tiny-task throughput of PoolExecutor.map',
  method:
    'At 3 ranks (a master and 2 workers), scripts/bench/futures-map.mjs TASKS CHUNKSIZE (mpi-loop/futures ' +
    'PoolExecutor.map, under the event loop) against python3 -m mpi4py.futures scripts/bench/futures_mpi4py.py ' +
    'TASKS CHUNKSIZE (MPIPoolExecutor.map); the task is abs() of an integer. Each job warms up with a map of ' +
    '2,000 items, then times the map of TASKS items (20,000 at chunksize 1, 200,000 at chunksize 100; a tenth ' +
    'in quick mode). Figure: tasks per second, median over rounds. Higher is better. No C baseline.',
  launches(o) {
    return CHUNKS.flatMap(([c]): Launch[] => {
      const args = [String(tasks(o, c)), String(c)];
      const prefix = `c${c}:`;
      return [
        {
          impl: 'mpi-loop',
          ranks: RANKS,
          loop: true,
          script: 'scripts/bench/futures-map.mjs',
          args,
          output: 'json',
          prefix,
        },
        {
          impl: 'python',
          ranks: RANKS,
          pythonModule: 'mpi4py.futures',
          args: ['futures_mpi4py.py', ...args],
          output: 'json',
          prefix,
        },
      ];
    });
  },
  metrics: () =>
    CHUNKS.map(([c, min]): Metric => ({
      id: `futures-map-chunksize-${c}`,
      label: `PoolExecutor.map, chunksize ${c}`,
      unit: 'tasks/s',
      better: 'higher',
      key: `c${c}:tasksPerSecond`,
      baselines: [vsPython(`c${c}:tasksPerSecond`, 'mpi4py.futures')],
      targets: [{ text: `at least ${min}x mpi4py.futures' rate`, against: 'python', minRatio: min }],
    })),
};
