// Where a job's ranks go, decided once for run, futures and repl: the rank
// count (-n, or the Slurm allocation's), the options mpi-loop adds to
// mpirun's (oversubscription only for a one-host layout of our making), and
// the variables each rank needs before MPI starts, forwarded to other hosts.
import { CommandError, UsageError } from './command';
import { isRoot, type Mpirun, physicalCores } from './mpirun';

/**
 * Variables read before the loop's start-up collective (by Node, the addon
 * loader, MPI_Init or the preload). Open MPI starts the daemons on other
 * hosts with a clean environment, so these go with -x. Every other
 * MPI_LOOP_* setting is taken from rank 0 when the loop starts.
 */
export const LAUNCH_VARIABLES = [
  'NODE_OPTIONS',
  'NODE_PATH',
  'MPI_LOOP_AUTO_LAUNCH',
  'MPI_LOOP_SERIAL',
  'MPI_LOOP_QUIET',
  'MPI_LOOP_THREAD_LEVEL',
];

/** Options that say which hosts (and how many slots) the job has: then mpirun decides. */
const HOST_OPTIONS = /^--?(host|H|hostfile|machinefile|default-hostfile|rankfile|f|hosts)(=|$)/;

export interface SlurmAllocation {
  jobId: string;
  tasks?: number;
}

/** The Slurm allocation this command runs in (salloc, sbatch), if any. */
export function slurmAllocation(env: NodeJS.ProcessEnv): SlurmAllocation | null {
  const jobId = env.SLURM_JOB_ID ?? env.SLURM_JOBID;
  if (!jobId) return null;
  const tasks = Number(env.SLURM_NTASKS ?? env.SLURM_NPROCS);
  return { jobId, tasks: Number.isInteger(tasks) && tasks > 0 ? tasks : undefined };
}

export interface Layout {
  n: number;
  /** Options for mpirun, before the user's. */
  options: string[];
}

/**
 * The rank count and mpi-loop's own mpirun options. `n` is the user's -n
 * (undefined when absent); `userOptions` are the user's mpirun options.
 */
export function launchLayout(
  mpirun: Mpirun,
  n: number | undefined,
  userOptions: string[],
  env: NodeJS.ProcessEnv = process.env,
): Layout {
  const given = (flag: string): boolean => userOptions.includes(flag) || userOptions.includes(flag.slice(1));
  const oversubscribeAsked = given('--oversubscribe') || userOptions.some((o) => /OVERSUBSCRIBE/i.test(o));
  const slurm = slurmAllocation(env);
  if (n === undefined) {
    if (!slurm?.tasks) throw new UsageError('missing -n N, the number of ranks (or run inside a Slurm allocation)');
    n = slurm.tasks;
  } else if (slurm?.tasks !== undefined && n > slurm.tasks && !oversubscribeAsked) {
    throw new CommandError(
      `-n ${n} is more than the ${slurm.tasks} tasks of Slurm job ${slurm.jobId} ` +
        `(SLURM_NTASKS); ask salloc/sbatch for more, or pass --oversubscribe`,
      2,
    );
  }
  const options: string[] = [];
  if (mpirun.flavour !== 'Open MPI') return { n, options };
  const hostsGiven = userOptions.some((o) => HOST_OPTIONS.test(o)) || !!env.OMPI_MCA_orte_default_hostfile;
  // One host of our making: more ranks than cores need --oversubscribe. With
  // hosts or a Slurm allocation, their slots decide, as mpirun would.
  if (!hostsGiven && !slurm && n > physicalCores() && !oversubscribeAsked) options.push('--oversubscribe');
  if (isRoot() && !given('--allow-run-as-root')) options.push('--allow-run-as-root');
  for (const name of LAUNCH_VARIABLES) {
    if (
      env[name] !== undefined &&
      !userOptions.some((o, i) => userOptions[i - 1] === '-x' && o.split('=')[0] === name)
    ) {
      options.push('-x', name);
    }
  }
  return { n, options };
}
