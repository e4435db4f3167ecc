// Intercommunicators through the nonblocking buffer collectives (every root
// of each group), Reduce_scatter(_block) and Alltoallw, and the errors of
// in place and of the value forms there. Real MPI at 1 to 4 ranks (3: groups
// of different sizes).
import test from 'ava';
import { fixture, mpinode } from './helpers/mpirun.mjs';
import { assertChecked } from './helpers/checked.mjs';

for (const [n, least] of [
  [1, 1],
  [2, 30],
  [3, 30],
  [4, 35],
]) {
  test(`nonblocking, reduce-scatter and Alltoallw collectives on an intercommunicator at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('communicators/intercomm-collectives.mjs')]);
    assertChecked(t, r, n, least);
  });
}
