// Dynamic processes: MPI_Comm_spawn from COMM_SELF, and the parent seen from
// a spawned process, each as one intracommunicator (the intercommunicator
// merged: the parent is rank 0, the children follow in spawn order).
import { Comm } from './comm';
import { available, native } from './environment';

/** MPI_Info keys for MPI_Comm_spawn (e.g. `{ map_by: 'slot:OVERSUBSCRIBE' }`). */
export type SpawnInfo = Record<string, string>;

/**
 * Starts `maxprocs` copies of `command args` (MPI_Comm_spawn from this process
 * alone) and returns the communicator joining them to this process, which is
 * its rank 0.
 */
export function spawnMerged(command: string, args: string[], maxprocs: number, info: SpawnInfo = {}): Comm {
  if (!available) throw new Error('spawnMerged: no MPI library is loaded, so processes cannot be spawned');
  if (!Number.isInteger(maxprocs) || maxprocs < 1)
    throw new RangeError(`spawnMerged: maxprocs must be a positive integer, got ${maxprocs}`);
  return new Comm(native().commSpawn(command, args, maxprocs, Object.entries(info)));
}

/** In a spawned process: the communicator with its parent (rank 0) and siblings; null elsewhere. */
export function parentMerged(): Comm | null {
  if (!available) return null;
  const handle = native().commGetParent();
  return handle < 0 ? null : new Comm(handle);
}
