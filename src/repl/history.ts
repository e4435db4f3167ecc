// Where the REPL keeps its history: ~/.mpi_loop_repl_history, or
// MPI_LOOP_REPL_HISTORY (empty: no history), as NODE_REPL_HISTORY does for Node.
import os from 'node:os';
import path from 'node:path';

export function historyFile(): string | null {
  const set = process.env.MPI_LOOP_REPL_HISTORY;
  if (set !== undefined) return set.trim() === '' ? null : set;
  return path.join(os.homedir(), '.mpi_loop_repl_history');
}
