// Intercommunicators: createIntercomm, point to point and collectives with
// MPI's root semantics, merge; Comm.Spawn and Comm.getParent. Real MPI at
// 1 to 4 ranks (3: groups of different sizes).
import test from 'ava';
import { fixture, mpinode } from './helpers/mpirun.mjs';
import { assertChecked } from './helpers/checked.mjs';
import { spawnUnavailable } from './helpers/spawn.mjs';
import { testIf } from './helpers/tools.mjs';

for (const [n, least] of [
  [1, 5],
  [2, 80],
  [3, 80],
  [4, 100],
]) {
  test(`two halves joined by createIntercomm: values, buffers, every root, merge at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('communicators/intercomm.mjs')]);
    assertChecked(t, r, n, least);
  });
}

// An MPI without dynamic processes cannot spawn (test/spawn-support.test.mjs checks the error it then gives).
const cannotSpawn = spawnUnavailable();
const withSpawn = testIf(test, !cannotSpawn, cannotSpawn);
for (const n of [1, 2]) {
  withSpawn(`Comm.Spawn from COMM_SELF and COMM_WORLD, Comm.getParent in the children at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('communicators/spawn-parent.mjs')], { timeout: 90_000 });
    assertChecked(t, r, n, 5);
  });
}
