// The ranks of a running event loop as workers: rank 0 asks them with one
// call() to serve tasks on a fresh dup of the loop's communicator; they go
// back to the loop when the pool stops. Every executor alive at the same time
// shares this pool (as mpi4py.futures' executors share the workers of
// `python -m mpi4py.futures`). While it runs, the pool holds the loop's worker
// lease, so other layers (and call()) are told to shut the executors down.
import { call, comm, type Comm, isFinalized, parallel, rank0 } from '../index';
import { takeWorkersWhenFree, type WorkerLease } from '../loop/lease';
import { Session } from './session';
import { serveTasks } from './worker';

let current: { session: Session; users: number; comm: Comm; lease: WorkerLease } | null = null;
let joined: Comm | null = null;
/** Acquisitions under way: executors created together share one pool. */
let starting: Promise<Session | null> | null = null;

/** Run by call() on every rank: the workers serve until rank 0 stops the pool. */
export function joinTaskPool(): Promise<void> | undefined {
  const c = comm.dup();
  if (rank0) {
    joined = c;
    return undefined;
  }
  return serveTasks(c, 0).finally(() => c.free());
}

async function start(): Promise<Session | null> {
  let lease: WorkerLease;
  try {
    lease = await takeWorkersWhenFree({
      name: 'PoolExecutor',
      holder: "a PoolExecutor (an MpiBackend's pool included)",
      release: '`await executor.shutdown()` (for an MpiBackend, `await backend.cleanup()`)',
      join: () => call(joinTaskPool),
      stop: () => {
        if (current) stopPool(current);
      },
    });
  } catch (e) {
    if (/event loop is not running/.test((e as Error).message)) return null;
    throw e;
  }
  const c = joined!;
  joined = null;
  const ranks = Array.from({ length: c.size - 1 }, (_, i) => i + 1);
  current = { session: new Session(c, ranks), users: 0, comm: c, lease };
  return current.session;
}

/** The loop's pool, started if needed; null when no event loop is running (then executors spawn). */
export async function acquireLoopPool(): Promise<Session | null> {
  if (!rank0 || !parallel) return null;
  if (!current) {
    starting ??= start().finally(() => {
      starting = null;
    });
    if (!(await starting)) return null;
  }
  current!.users++;
  return current!.session;
}

/** Stops the pool: STOP goes out now if nothing is pending, and the lease ends with it. */
function stopPool(pool: NonNullable<typeof current>): Promise<void> {
  if (current === pool) current = null;
  const stopped = pool.session.stop().finally(() => {
    pool.lease.end();
    if (!isFinalized()) pool.comm.free();
  });
  // Sent synchronously (nothing was pending): the workers read STOP before any later command.
  if (pool.session.idle) pool.lease.end();
  else pool.lease.releasing();
  return stopped;
}

/** One executor is done with the pool; the last one stops it (the workers return to the loop). */
export async function releaseLoopPool(session: Session): Promise<boolean> {
  if (!current || current.session !== session) return false;
  if (--current.users > 0) return true;
  await stopPool(current);
  return true;
}
