// Groups, communicator management (compare, create, createGroup, splitType,
// idup, names) and Info, on real MPI at 1, 2 and 4 ranks.
import test from 'ava';
import { fixture, mpinode } from './helpers/mpirun.mjs';
import { assertChecked } from './helpers/checked.mjs';

for (const n of [1, 2, 4]) {
  test(`groups, communicators from groups, idup, names and Info at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('communicators/groups.mjs')]);
    assertChecked(t, r, n, 150);
  });
}
