// Reductions on real MPI at 1, 2 and 4 ranks: user ops (Op.create) in every
// buffer reduction, blocking and nonblocking, at every root and in rank
// order; an op that throws reported as the collective's error; MAXLOC and
// MINLOC on every pair type and on values; reduceLocal; Reduce_scatter(_block)
// with IN_PLACE; Alltoallw with mixed element types.
import test from 'ava';
import { fixture, mpinode, tagged } from './helpers/mpirun.mjs';

for (const n of [1, 2, 4]) {
  test(`user ops, MAXLOC/MINLOC, reduceLocal, Reduce_scatter and Alltoallw at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('reductions.mjs')], { timeout: 180_000 });
    const output = `${r.stdout}\n${r.stderr}`;
    t.false(r.timedOut, `timed out\n${output}`);
    t.is(r.code, 0, `exit ${r.code}\n${output}`);
    t.deepEqual(tagged(r.stdout, 'FAIL '), [], output);
    t.is(tagged(r.stdout, 'DONE ').length, n, output);
    const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
    t.is(checks.length, n, output);
    t.true(
      checks.every((c) => c > 200),
      `checks per rank: ${checks}`,
    );
  });
}
