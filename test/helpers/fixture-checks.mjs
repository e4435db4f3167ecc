// Asserts on a fixture that prints "FAIL ..." lines, "CHECKS <rank> <n>" and
// "DONE <rank>" (test/fixtures/lib/p2p-checks.mjs): it ended cleanly, every
// rank ran the same checks to the end, and none failed.
import { tagged } from './mpirun.mjs';

export function assertChecks(t, r, ranks, atLeast) {
  const output = `${r.stdout}\n${r.stderr}`;
  t.false(r.timedOut, `timed out\n${output}`);
  t.is(r.code, 0, `exit ${r.code}\n${output}`);
  t.deepEqual(tagged(r.stdout, 'FAIL '), [], output);
  t.is(tagged(r.stdout, 'DONE ').length, ranks, output);
  const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
  t.is(checks.length, ranks, output);
  t.true(
    checks.every((c) => c >= atLeast),
    `checks per rank: ${checks} (expected at least ${atLeast})`,
  );
}
