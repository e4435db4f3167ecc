// Sets of requests (Request.waitany/waitall/waitsome, testany/testall/
// testsome), Status.getCount/getElements and MPI error classes provoked by
// real errors, at 1, 2 and 4 ranks over every communicator kind.
import test from 'ava';
import { assertChecks } from './helpers/fixture-checks.mjs';
import { fixture, mpinode, run } from './helpers/mpirun.mjs';

for (const n of [1, 2, 4]) {
  test(`waitany, waitall, waitsome and test forms over mixed requests; error classes at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('request-sets.mjs')], { timeout: 120_000 });
    assertChecks(t, r, n, 130);
  });
}

test('the same in the serial fallback (no MPI library)', async (t) => {
  const r = await run(process.execPath, [fixture('request-sets.mjs')], {
    env: { MPI_LOOP_SERIAL: '1', MPI_LOOP_QUIET: '1' },
    timeout: 120_000,
  });
  assertChecks(t, r, 1, 130);
});
