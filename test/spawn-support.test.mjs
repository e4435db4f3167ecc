// MPI_Comm_spawn where the MPI has dynamic processes, and a clear error where
// it has none (MPICH 4.0's ch4:ucx device cannot open ports): the library's
// check and the spawn itself agree, and MPI stays usable after the error.
import test from 'ava';
import { fixture, keyed, run } from './helpers/mpirun.mjs';

test('spawnMerged from one rank: children join, or an error that says why and what to do', async (t) => {
  const r = await run(process.execPath, [fixture('spawn-support.mjs')], {
    timeout: 90_000,
    env: { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
  });
  const output = `${r.stdout}\n${r.stderr}`;
  t.false(r.timedOut, `hung\n${output}`);
  t.is(r.code, 0, output);
  const out = keyed(r.stdout);
  t.true('CANNOT' in out, output);
  if (out.CANNOT === null) {
    t.is(out.SPAWNED, 2, `the check says this MPI can spawn, so the spawn must work\n${output}`);
    t.false('ERROR' in out, output);
  } else {
    t.false('SPAWNED' in out, `the check says this MPI cannot spawn, yet it did\n${output}`);
    t.is(out.ERROR?.name, 'MPIError', output);
    t.regex(out.ERROR.message, /cannot start processes with MPI_Comm_spawn/);
    t.regex(out.ERROR.message, /MPI_Open_port: .+\)/, "MPI's own reason is quoted");
    t.regex(out.ERROR.message, /mpiexec -n N node -r mpi-loop\/register/, 'the way out is named');
  }
  t.is(out.USABLE, 42, 'MPI is still usable');
});
