// Synchronous, buffered and ready sends (blocking and nonblocking, values and
// typed buffers), Sendrecv_replace and the attached buffer, on real MPI at 1,
// 2 and 4 ranks over world, self, their duplicates and a split.
import test from 'ava';
import { assertChecks } from './helpers/fixture-checks.mjs';
import { fixture, mpinode, run } from './helpers/mpirun.mjs';

for (const n of [1, 2, 4]) {
  test(`every send mode, value and buffer, on every communicator kind at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('p2p-modes.mjs')], { timeout: 120_000 });
    assertChecks(t, r, n, 600);
  });
}

test('the same in the serial fallback (no MPI library)', async (t) => {
  const r = await run(process.execPath, [fixture('p2p-modes.mjs')], {
    env: { MPI_LOOP_SERIAL: '1', MPI_LOOP_QUIET: '1' },
    timeout: 120_000,
  });
  assertChecks(t, r, 1, 600);
});
