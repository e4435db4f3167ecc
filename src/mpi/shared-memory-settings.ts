// Open MPI's shared-memory transport (the vader BTL) settings for rank 0 on a
// host with more ranks than cores. Rank 0 of the event loop sends every
// command to every worker; a worker drains its queue only when it gets a
// core, so with many ranks on few cores rank 0's eager sends run ahead of
// them. Open MPI's default pool of 512 send fragments (in a 4 MiB segment)
// then runs dry within a few commands, and rank 0 waits in MPI's progress
// loop, which gives its core away (Open MPI yields when oversubscribed):
// every worker then runs before rank 0 sends the next command, each for one
// command. With room for 4096 fragments rank 0 keeps its core and the workers
// take the commands in batches. The memory is shared memory that is touched
// only as fragments are used (at most about 17 MiB). Values the user set,
// by environment or `mpirun --mca`, are kept.
import { applyEnvDefaults } from '../util/env-defaults';
import { isOversubscribed } from './host';
import { familyOf } from './launcher';

export const RANK0_SHARED_MEMORY_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  OMPI_MCA_btl_vader_free_list_max: '4096',
  OMPI_MCA_btl_vader_segment_size: String(32 * 1024 * 1024),
});

/**
 * Puts RANK0_SHARED_MEMORY_DEFAULTS into `env` where unset, on rank 0 of an
 * Open MPI job on an oversubscribed host; returns the names set. It must run
 * before MPI starts (Open MPI reads them then).
 */
export function applyRank0SharedMemoryDefaults(implementation: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (familyOf(implementation) !== 'Open MPI' || env.OMPI_COMM_WORLD_RANK !== '0' || !isOversubscribed(env)) return [];
  return applyEnvDefaults(RANK0_SHARED_MEMORY_DEFAULTS, env);
}
