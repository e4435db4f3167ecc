// The entry point of a spawned worker: serve the parent's tasks, then exit
// (MPI is finalised at the clean exit).
import { parentComm } from './spawn';
import { serveTasks } from './worker';

const parent = parentComm();
if (!parent) {
  process.stderr.write('mpi-loop/futures: worker-main runs only in processes spawned by a PoolExecutor\n');
  process.exit(2);
}
serveTasks(parent, 0).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`mpi-loop/futures: worker ${parent.rank} failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
