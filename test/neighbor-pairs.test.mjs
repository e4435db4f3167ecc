// Neighbourhood alltoall where one rank is both neighbours of a periodic
// Cartesian dimension (of size 1 or 2): every block in its own place, in the
// blocking, nonblocking, v and value forms, on real MPI at 1, 2 and 4 ranks.
import test from 'ava';
import { fixture, mpinode } from './helpers/mpirun.mjs';
import { assertChecked } from './helpers/checked.mjs';

for (const n of [1, 2, 4]) {
  test(`neighbourhood alltoall keeps each block of a double neighbour in its place at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('communicators/neighbor-pairs.mjs')]);
    assertChecked(t, r, n, 30);
  });
}
