// mpi4py.futures' MPICommExecutor for SPMD scripts: a collective call over
// `comm`; the root gets a PoolExecutor whose workers are the other ranks of
// comm, the other ranks serve tasks until the root shuts it down and then get
// null. Under the event loop the other ranks serve the loop instead of
// calling this, so rank 0 gets an executor over the loop's workers.
import { COMM_WORLD, type Comm, comm as loopComm, parallel, rank0 } from '../index';
import { insideCall } from '../loop/call';
import { asyncCallRunning } from '../loop/lease';
import { state } from '../loop/state';
import { PoolExecutor } from './pool-executor';
import { Session } from './session';
import { serveTasks } from './worker';

/**
 * `await using executor = await CommExecutor(comm, root)`: the executor on the
 * root (shut down when the block ends), null on the other ranks once the root
 * has shut it down. With one rank, tasks run on spawned workers instead
 * (mpi4py runs them in a thread). Collective over comm (it dups comm).
 */
export async function CommExecutor(comm: Comm = COMM_WORLD, root = 0): Promise<PoolExecutor | null> {
  if (!Number.isInteger(root) || root < 0 || root >= comm.size) {
    throw new RangeError(`CommExecutor: root ${root} is out of range for a communicator of size ${comm.size}`);
  }
  // Rank 0 at the top of a script under the loop (not inside a call(), where every rank runs this).
  if (rank0 && parallel && state.running && !insideCall() && !asyncCallRunning()) {
    if ((comm === COMM_WORLD || comm === loopComm) && root === 0) return new PoolExecutor();
    throw new Error(
      'CommExecutor: under the event loop the other ranks serve the loop and cannot join this ' +
        "collective; use CommExecutor(COMM_WORLD, 0) or a PoolExecutor (the loop's workers), or run the script without the preload",
    );
  }
  const c = comm.dup();
  if (c.rank !== root) {
    await serveTasks(c, root);
    c.free();
    return null;
  }
  if (c.size === 1) {
    c.free();
    return new PoolExecutor();
  }
  const ranks = Array.from({ length: c.size }, (_, i) => i).filter((r) => r !== root);
  const session = new Session(c, ranks);
  return new PoolExecutor(
    {},
    {
      acquire: async () => session,
      release: async (s) => {
        await s.stop();
        c.free();
      },
    },
  );
}
