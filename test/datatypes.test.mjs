// Derived datatypes and mpi4py's buffer specs ([buf, datatype], [buf, count,
// datatype], [buf, [count, displacement], datatype]) through the Capitalized
// methods, on real MPI at 1, 2 and 4 ranks.
import test from 'ava';
import { fixture, mpinode } from './helpers/mpirun.mjs';
import { assertChecks } from './helpers/fixture-checks.mjs';

for (const n of [1, 2, 4]) {
  test(`derived datatypes and buffer specs through p2p and collectives at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('datatypes.mjs')], { timeout: 90_000 });
    // Layouts, spec forms, errors, and per communicator kind a halo, a subarray and collectives at every root.
    assertChecks(t, r, n, 60);
  });
}
