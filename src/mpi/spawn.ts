// Dynamic processes: MPI_Comm_spawn from COMM_SELF, and the parent seen from
// a spawned process, each as one intracommunicator (the intercommunicator
// merged: the parent is rank 0, the children follow in spawn order).
import { Comm } from './comm';
import { available, native } from './environment';
import { MPIError } from './errors';

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
  try {
    return new Comm(native().commSpawn(command, args, maxprocs, Object.entries(info)));
  } catch (e) {
    const why = e instanceof MPIError ? dynamicProcessesUnavailable() : null;
    if (why === null) throw e;
    throw new MPIError(
      `spawnMerged: this MPI cannot start processes with MPI_Comm_spawn: it cannot open the port the children ` +
        `connect back to (MPI_Open_port: ${why.split('\n').pop()?.trim()}). Start every process with the ` +
        `launcher instead (mpiexec -n N node -r mpi-loop/register script.js: a PoolExecutor then uses the ` +
        `event loop's ranks), or use an MPI with dynamic processes (e.g. Open MPI, or MPICH built with ch4:ofi or ch3).`,
      (e as MPIError).errorClass,
      (e as MPIError).errorCode,
    );
  }
}

/**
 * Why this MPI cannot spawn (MPI_Open_port fails, so children could not
 * connect back: MPICH 4.0's ch4:ucx device), as MPI's error text; null when
 * it can. Starts MPI if needed.
 */
export function dynamicProcessesUnavailable(): string | null {
  if (!available) return 'no MPI library is loaded';
  return native().openPortError();
}

/** In a spawned process: the communicator with its parent (rank 0) and siblings; null elsewhere. */
export function parentMerged(): Comm | null {
  if (!available) return null;
  const handle = native().commGetParent();
  return handle < 0 ? null : new Comm(handle);
}
