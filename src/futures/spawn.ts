// The spawn path (mpi4py's MPIPoolExecutor in a one-rank job): start workers
// with MPI_Comm_spawn from COMM_SELF, running worker-main.js, and talk to them
// over the merged intracommunicator (this process is rank 0).
import path from 'node:path';
import { type Comm, parentMerged, spawnMerged, type SpawnInfo } from '../index';

/** Extra MPI_Info keys for the spawn (mpi4py's mpi_info); oversubscription is allowed unless overridden. */
export type { SpawnInfo };

export function spawnWorkers(count: number, info: SpawnInfo = {}): Comm {
  const entry = path.join(__dirname, 'worker-main.js');
  return spawnMerged(process.execPath, [...workerExecArgv(), entry], count, { map_by: 'slot:OVERSUBSCRIBE', ...info });
}

const PRELOADS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);

// Node's own flags for the workers, less the debugger and mpi-loop's preload
// (which would make a spawned worker serve the event loop instead of tasks).
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--inspect')) continue;
    if (PRELOADS.has(a)) {
      const v = argv[i + 1] ?? '';
      i++;
      if (/mpi-loop|register\.(c|m)?js$/.test(v)) continue;
      out.push(a, v);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0 && PRELOADS.has(a.slice(0, eq)) && /mpi-loop|register\.(c|m)?js$/.test(a.slice(eq + 1))) continue;
    out.push(a);
  }
  return out;
}

/** In a spawned worker: the communicator with the parent (parent = rank 0), or null. */
export function parentComm(): Comm | null {
  return parentMerged();
}
