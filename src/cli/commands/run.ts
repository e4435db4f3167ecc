// `mpi-loop run -n N [mpirun options] script [args]`: the script on rank 0,
// the event loop on the other ranks (mpirun ... node -r mpi-loop/register script).
import { runScriptJob } from '../launch';

export const name = 'run';
export const summary = 'run a script on rank 0 with the other ranks in the event loop';
export const usage = `Usage: mpi-loop run -n N [mpirun options] [--] script.js [args...]

Runs script.js on rank 0 of N ranks; ranks 1..N-1 serve the event loop, so the
script drives them with call(). When the script ends, every rank quits.

  -n, -np N      the number of ranks (inside a Slurm allocation: at most, and by
                 default, its task count SLURM_NTASKS)
  --dry-run      print the mpirun command line instead of running it
  --             ends mpirun's options (when an option's value looks like a script)
  -h, --help     this text

Other options go to mpirun unchanged (e.g. --host a,b, -x VAR, --mca btl self,vader).
With Open MPI, --oversubscribe is added when N exceeds this machine's cores
and no hosts were given (--host, --hostfile) and no Slurm allocation decides;
--allow-run-as-root when running as root; and -x for the variables ranks on
other hosts need before MPI starts (NODE_OPTIONS, NODE_PATH,
MPI_LOOP_AUTO_LAUNCH, MPI_LOOP_SERIAL, MPI_LOOP_QUIET, MPI_LOOP_THREAD_LEVEL),
when set. The other MPI_LOOP_* settings are taken from rank 0 when the loop
starts. mpirun is found on PATH (or set
MPI_LOOP_MPIRUN); Open MPI and MPICH are both supported. Ctrl-C ends every rank.
The ranks colour their output only when this command's output is a terminal
(FORCE_COLOR=1 or NO_COLOR=1 decide otherwise).

Exit status: the job's (128+n when mpirun is killed by signal n, or when
signal n sent to this command ended a job that then reported 0); 2 for bad
usage or a missing script; 127 when no mpirun is installed.
`;

export async function run(argv: string[]): Promise<number> {
  return runScriptJob(argv);
}
