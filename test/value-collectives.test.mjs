// Collectives of values (bcast, gather, scatter, allgather, alltoall and the
// reductions on them) with small, large and mixed values, on real MPI.
import test from 'ava';
import { fixture, mpinode, tagged } from './helpers/mpirun.mjs';

for (const n of [1, 2, 4]) {
  test(`small, large and mixed values through every value collective at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('value-collectives.mjs')]);
    t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
    t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    t.deepEqual(tagged(r.stdout, 'FAIL'), []);
    // per rank: 3 kinds x (3 per root + allgather + alltoall), 3 per one-large round, 2 kept, 6 reductions
    t.deepEqual(tagged(r.stdout, 'CHECKS ').map(Number), Array(n).fill(3 * (3 * n + 2) + 3 * n + 8));
    t.is(r.stdout.split('DONE').length - 1, n);
  });
}
