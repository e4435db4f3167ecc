// Persistent requests (Send_init in every mode, Recv_init, start, startall,
// free) reused over many cycles, cancelled and restarted, at 1, 2 and 4
// ranks over world, self, their duplicates and a split.
import test from 'ava';
import { assertChecks } from './helpers/fixture-checks.mjs';
import { fixture, mpinode, run } from './helpers/mpirun.mjs';

for (const n of [1, 2, 4]) {
  test(`persistent requests in every mode, restarted many times, on every communicator kind at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('persistent-requests.mjs')], { timeout: 120_000 });
    assertChecks(t, r, n, 1900);
  });
}

test('the same in the serial fallback (no MPI library)', async (t) => {
  const r = await run(process.execPath, [fixture('persistent-requests.mjs')], {
    env: { MPI_LOOP_SERIAL: '1', MPI_LOOP_QUIET: '1' },
    timeout: 120_000,
  });
  assertChecks(t, r, 1, 1900);
});
