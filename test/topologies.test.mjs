// Process topologies (Cartesian, graph, distributed graph), computeDims and
// the neighbourhood collectives, on real MPI at 1 to 4 ranks (3: a grid that
// is not a power of two).
import test from 'ava';
import { fixture, mpinode } from './helpers/mpirun.mjs';
import { assertChecked } from './helpers/checked.mjs';

for (const n of [1, 2, 3, 4]) {
  test(`grids, graphs and neighbourhood collectives on every communicator kind at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('communicators/topologies.mjs')]);
    assertChecked(t, r, n, 200);
  });
}
