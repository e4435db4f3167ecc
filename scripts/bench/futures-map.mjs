// One run of the tiny-task benchmark on mpi-loop's PoolExecutor (rank 0 of a
// job under the event loop): prints one JSON line.
//   mpirun -n 3 node -r mpi-loop/register futures-map.mjs TASKS CHUNKSIZE
import { size } from 'mpi-loop';
import { PoolExecutor } from 'mpi-loop/futures';

const tasks = Number(process.argv[2] ?? 20000);
const chunksize = Number(process.argv[3] ?? 1);
const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);
const executor = new PoolExecutor();
// Warm-up, as in futures_mpi4py.py: the same map on 2000 items.
for await (const _ of executor.map(Math.abs, range(-1000, 1000), { chunksize })) {
  /* warm up */
}
const start = performance.now();
let total = 0;
for await (const v of executor.map(Math.abs, range(-Math.floor(tasks / 2), tasks - Math.floor(tasks / 2)), {
  chunksize,
  progress: false,
}))
  total += v;
const seconds = (performance.now() - start) / 1000;
await executor.shutdown();
console.log(JSON.stringify({ ranks: size, chunksize, tasks, seconds, tasksPerSecond: tasks / seconds, total }));
