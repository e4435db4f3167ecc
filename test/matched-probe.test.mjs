// Matched probes (mprobe/improbe, Mprobe/Improbe) and Message receives of
// values and typed buffers at 1, 2 and 4 ranks over world, self, their
// duplicates and a split.
import test from 'ava';
import { assertChecks } from './helpers/fixture-checks.mjs';
import { fixture, mpinode, run } from './helpers/mpirun.mjs';

for (const n of [1, 2, 4]) {
  test(`matched probes of values and buffers, PROC_NULL included, on every communicator kind at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('matched-probe.mjs')], { timeout: 120_000 });
    assertChecks(t, r, n, 290);
  });
}

test('the same in the serial fallback (no MPI library)', async (t) => {
  const r = await run(process.execPath, [fixture('matched-probe.mjs')], {
    env: { MPI_LOOP_SERIAL: '1', MPI_LOOP_QUIET: '1' },
    timeout: 120_000,
  });
  assertChecks(t, r, 1, 290);
});
