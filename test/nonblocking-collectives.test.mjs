// Nonblocking collectives (Ibcast ... Ireduce_scatter_block, ibcast ...
// iexscan) on real MPI at 1, 2 and 4 ranks and in the serial fallback: every
// root, several typed-array kinds, IN_PLACE, world/self/dups/split, many
// outstanding at once, and timers running while a collective waits.
import test from 'ava';
import { fixture, mpinode, run, tagged } from './helpers/mpirun.mjs';

const TIMEOUT = 240_000;

function assertRan(t, r, ranks) {
  const output = `${r.stdout}\n${r.stderr}`;
  t.false(r.timedOut, `timed out (a collective never completed)\n${output}`);
  t.is(r.code, 0, `exit ${r.code}\n${output}`);
  t.deepEqual(tagged(r.stdout, 'FAIL '), [], output);
  t.is(tagged(r.stdout, 'DONE ').length, ranks, output);
  const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
  t.is(checks.length, ranks, output);
  t.true(
    checks.every((c) => c > 1000),
    `checks per rank: ${checks}`,
  );
}

for (const n of [1, 2, 4]) {
  test(`every nonblocking collective, buffers and values, every root, at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('nonblocking-collectives.mjs')], { timeout: TIMEOUT });
    assertRan(t, r, n);
  });
}

test('the same in the serial fallback (no MPI library)', async (t) => {
  const r = await run(process.execPath, [fixture('nonblocking-collectives.mjs')], {
    env: { MPI_LOOP_SERIAL: '1', MPI_LOOP_QUIET: '1' },
    timeout: TIMEOUT,
  });
  assertRan(t, r, 1);
});
