// Assertions for fixtures that print "FAIL ..." lines, "CHECKS <rank> <n>"
// and "DONE <rank>" (test/fixtures/lib/checks.mjs).
import { tagged } from './mpirun.mjs';

/** A clean exit, no FAIL line, and every one of `ranks` ranks ran at least `least` checks. */
export function assertChecked(t, r, ranks, least) {
  t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
  t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  t.deepEqual(tagged(r.stdout, 'FAIL '), []);
  const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
  t.is(checks.length, ranks, r.stdout);
  t.true(
    checks.every((c) => c >= least),
    `checks per rank: ${checks}`,
  );
  t.is(tagged(r.stdout, 'DONE ').length, ranks);
}
