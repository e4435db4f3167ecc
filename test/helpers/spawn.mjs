// Whether the MPI under test can start processes with MPI_Comm_spawn: asked
// once, of a one-rank process (no mpirun), through the library's own check.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './mpirun.mjs';

let cached;

/** Why this MPI cannot spawn (MPI's own words), or null when it can. */
export function spawnUnavailable() {
  if (cached !== undefined) return cached;
  const pkg = path.join(root, 'dist', 'index.js');
  const r = spawnSync(
    process.execPath,
    ['-e', `console.log(JSON.stringify(require(${JSON.stringify(pkg)}).dynamicProcessesUnavailable()))`],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, MPI_LOOP_QUIET: '1', OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
    },
  );
  if (r.status !== 0) throw new Error(`could not ask MPI whether it can spawn: ${r.error ?? ''}${r.stderr}`);
  const why = JSON.parse(r.stdout.trim().split('\n').pop());
  cached = why === null ? null : `this MPI cannot spawn processes (MPI_Open_port: ${why.split('\n').pop().trim()})`;
  return cached;
}
