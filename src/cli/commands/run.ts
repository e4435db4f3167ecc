// `mpi-loop run -n N [mpirun options] script [args]`: the script on rank 0,
// the event loop on the other ranks (mpirun ... node -r mpi-loop/register script).
import { runScriptJob } from '../launch';

export const name = 'run';
export const summary = 'run a script on rank 0 with the other ranks in the event loop';
export const usage = `Usage: mpi-loop run -n N [mpirun options] [--] script.js [args...]

Runs script.js on rank 0 of N ranks; ranks 1..N-1 serve the event loop, so the
script drives them with call(). When the script ends, every rank quits.

  -n, -np N      the number of ranks (required)
  --dry-run      print the mpirun command line instead of running it
  --             ends mpirun's options (when an option's value looks like a script)
  -h, --help     this text

Other options go to mpirun unchanged (e.g. --host a,b, -x VAR, --mca btl self,vader).
With Open MPI, --oversubscribe is added when N exceeds the cores and
--allow-run-as-root when running as root. mpirun is found on PATH (or set
MPI_LOOP_MPIRUN); Open MPI and MPICH are both supported. Ctrl-C ends every rank.
The ranks colour their output only when this command's output is a terminal
(FORCE_COLOR=1 or NO_COLOR=1 decide otherwise).

Exit status: the job's (128+n when mpirun is killed by signal n); 2 for bad
usage or a missing script; 127 when no mpirun is installed.
`;

export async function run(argv: string[]): Promise<number> {
  return runScriptJob(argv);
}
