// `mpi-loop futures -n N script.js [args]` (python -m mpi4py.futures): the
// script runs on rank 0 and ranks 1..N-1 serve as the workers of every
// PoolExecutor it creates (they wait in the event loop between executors).
import { runScriptJob } from '../launch';

export const name = 'futures';
export const summary = 'run a script whose PoolExecutors use ranks 1..N-1 as workers (python -m mpi4py.futures)';
export const usage = `Usage: mpi-loop futures -n N [mpirun options] [--] script.js [args...]

Runs script.js on rank 0 of N ranks; ranks 1..N-1 are the workers of every
PoolExecutor the script creates (import { PoolExecutor } from 'mpi-loop/futures').
Executors alive at the same time share the workers. When the script ends,
every rank exits. An unhandled error in the script ends the whole job.

  -n, -np N      the number of ranks (N >= 2 for any worker; inside a Slurm
                 allocation: at most, and by default, SLURM_NTASKS)
  --dry-run      print the mpirun command line instead of running it
  --             ends mpirun's options
  -h, --help     this text

Other options go to mpirun unchanged. Long map() runs show a progress bar on
stderr when it is a terminal (MPI_LOOP_PROGRESS=0 turns it off).
`;

export async function run(argv: string[]): Promise<number> {
  // Rank 0's stderr reaches our terminal through mpirun's pipes: tell it to draw progress bars.
  const progress = process.env.MPI_LOOP_PROGRESS ?? (process.stderr.isTTY ? '1' : '0');
  return runScriptJob(argv, { ...process.env, MPI_LOOP_PROGRESS: progress });
}
