// Derived datatypes and mpi4py's buffer specs ([buf, datatype], [buf, count,
// datatype], [buf, [count, displacement], datatype]) through the Capitalized
// methods, on real MPI at 1, 2 and 4 ranks.
import test from 'ava';
import { fixture, mpinode, tagged } from './helpers/mpirun.mjs';

for (const n of [1, 2, 4]) {
  test(`derived datatypes and buffer specs through p2p and collectives at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('datatypes.mjs')], { timeout: 90_000 });
    t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
    t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    t.deepEqual(tagged(r.stdout, 'FAIL'), []);
    t.true(r.stdout.includes('DONE'));
    const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
    t.is(checks.length, n);
    // Layouts, spec forms, errors, and per communicator kind a halo, a subarray and collectives at every root.
    t.true(
      checks.every((c) => c >= 60),
      `checks per rank: ${checks}`,
    );
    t.is(tagged(r.stdout, 'ERR ').length, 12, r.stdout);
  });
}
