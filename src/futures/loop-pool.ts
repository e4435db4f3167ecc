// The ranks of a running event loop as workers: rank 0 asks them with one
// call() to serve tasks on a fresh dup of the loop's communicator; they go
// back to the loop when the pool stops. Every executor alive at the same time
// shares this pool (as mpi4py.futures' executors share the workers of
// `python -m mpi4py.futures`).
import { call, comm, type Comm, parallel, rank0 } from '../index';
import { Session } from './session';
import { serveTasks } from './worker';

let current: { session: Session; users: number; comm: Comm } | null = null;
let joined: Comm | null = null;
let stopping: Promise<void> = Promise.resolve();

/** Run by call() on every rank: the workers serve until rank 0 stops the pool. */
export function joinTaskPool(): Promise<void> | undefined {
  const c = comm.dup();
  if (rank0) {
    joined = c;
    return undefined;
  }
  return serveTasks(c, 0).finally(() => c.free());
}

/** The loop's pool, started if needed; null when no event loop is running (then executors spawn). */
export async function acquireLoopPool(): Promise<Session | null> {
  if (!rank0 || !parallel) return null;
  // A pool that is stopping must be gone first: its workers take the next call() only then.
  await stopping;
  if (current) {
    current.users++;
    return current.session;
  }
  try {
    call(joinTaskPool);
  } catch (e) {
    if (/event loop is not running/.test((e as Error).message)) return null;
    throw e;
  }
  const c = joined!;
  joined = null;
  const ranks = Array.from({ length: c.size - 1 }, (_, i) => i + 1);
  current = { session: new Session(c, ranks), users: 1, comm: c };
  return current.session;
}

/** One executor is done with the pool; the last one stops it (the workers return to the loop). */
export async function releaseLoopPool(session: Session): Promise<boolean> {
  if (!current || current.session !== session) return false;
  if (--current.users > 0) return true;
  const { comm: c } = current;
  current = null;
  stopping = session.stop().finally(() => c.free());
  await stopping;
  return true;
}
