// UCX settings for an addon linked against MPICH. Debian's MPICH is built
// with the ch4:ucx device, and UCX, when MPI starts, patches the machine code
// of libc's mmap, munmap, madvise, brk and sbrk ("bistro" memory hooks) to
// track memory for its registration cache. Inside Node that patching races
// with V8's own threads and crashes ranks at random (a SIGSEGV in V8's
// compiler, reported by UCX's signal handler). UCX_MEM_EVENTS=no leaves libc
// alone; UCX then works without a registration cache (only RDMA networks
// lose some large-message speed). UCX reads its settings when its library is
// loaded, so they must be in the environment before the addon is required.
// A value the user set is kept. Open MPI's UCX component brings memory hooks
// of its own, so an Open MPI addon is left as it is.
import fs from 'node:fs';
import { applyEnvDefaults } from '../util/env-defaults';

/** The settings given to UCX under MPICH, unless the environment already has them. */
export const MPICH_UCX_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({ UCX_MEM_EVENTS: 'no' });

/** Does the addon at `file` link MPICH's library (its dynamic section names libmpich)? */
export function linksMpich(file: string): boolean {
  try {
    return fs.readFileSync(file).includes('libmpich.so');
  } catch {
    return false;
  }
}

/** Puts MPICH_UCX_DEFAULTS into `env` where unset, when the addon at `file` links MPICH; returns the names set. */
export function applyMpichUcxDefaults(file: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return linksMpich(file) ? applyEnvDefaults(MPICH_UCX_DEFAULTS, env) : [];
}
