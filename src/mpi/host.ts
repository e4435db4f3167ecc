// Facts of the host this rank runs on, read from the launcher's environment.
import os from 'node:os';
import { familyOf } from './launcher';

/** The number of ranks on this host, from whichever launcher started it (1 when unknown). */
export function localRankCount(env: NodeJS.ProcessEnv = process.env): number {
  const direct = env.OMPI_COMM_WORLD_LOCAL_SIZE ?? env.MPI_LOCALNRANKS;
  if (direct !== undefined) return Number(direct) || 1;
  // srun sets neither: its per-node task counts are "2(x3),1", indexed by this node's number.
  if (env.SLURM_STEP_ID === undefined) return 1;
  if (env.SLURM_NTASKS_PER_NODE && /^\d+$/.test(env.SLURM_NTASKS_PER_NODE)) return Number(env.SLURM_NTASKS_PER_NODE);
  const perNode: number[] = [];
  for (const part of (env.SLURM_STEP_TASKS_PER_NODE ?? env.SLURM_TASKS_PER_NODE ?? '').split(',')) {
    const m = /^(\d+)(?:\(x(\d+)\))?$/.exec(part.trim());
    if (m) for (let i = 0; i < Number(m[2] ?? 1); i++) perNode.push(Number(m[1]));
  }
  return perNode[Number(env.SLURM_NODEID ?? 0)] ?? 1;
}

/**
 * More ranks on this host than cores: a rank that spins while it waits
 * takes the core from a rank with work to do.
 */
export function isOversubscribed(env: NodeJS.ProcessEnv = process.env): boolean {
  // The host's cores, not availableParallelism(): mpirun binds each rank to one core.
  return localRankCount(env) > os.cpus().length;
}

/** isOversubscribed() of this process. */
export const oversubscribed: boolean = isOversubscribed();

/**
 * Whether the MPI library gives the core away while it waits: Open MPI does
 * when mpirun has told it the host is oversubscribed (OMPI_MCA_mpi_oversubscribe,
 * which turns on mpi_yield_when_idle unless that is set), or when
 * mpi_yield_when_idle is set; MPICH never does.
 */
export function mpiYieldsItself(implementation: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (familyOf(implementation) !== 'Open MPI') return false;
  const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|t|true|y|yes|enabled)$/i.test(v);
  const yieldWhenIdle = env.OMPI_MCA_mpi_yield_when_idle;
  if (yieldWhenIdle !== undefined && yieldWhenIdle !== '') return truthy(yieldWhenIdle);
  return truthy(env.OMPI_MCA_mpi_oversubscribe);
}

/**
 * Whether blocking MPI calls wait by testing their nonblocking twin and
 * yielding the core between tests: on an oversubscribed host whose MPI does
 * not yield by itself (mpiYieldsItself). MPICH's blocking calls spin without
 * yielding, which on an oversubscribed host made an Allreduce at 4 ranks on
 * 2 cores take milliseconds. MPI_LOOP_YIELDING_WAITS=1 or 0 overrides the choice.
 */
export function yieldingWaits(implementation: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const given = env.MPI_LOOP_YIELDING_WAITS;
  if (given === '1' || given === '0') return given === '1';
  if (given !== undefined && given !== '')
    throw new RangeError(`MPI_LOOP_YIELDING_WAITS=${given}: expected 1 (yield) or 0 (the MPI's own blocking calls)`);
  return isOversubscribed(env) && !mpiYieldsItself(implementation, env);
}
