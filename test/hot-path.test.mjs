// The call and collective hot path: commands whose ObjectId arguments ride in
// the binary header (or, from position 32, in the general one), and gathers
// whose large values follow point to point to the root.
import test from 'ava';
import { fixture, mpinode, tagged } from './helpers/mpirun.mjs';

const register = ['-r', 'mpi-loop/register'];

for (const n of [2, 4]) {
  test(`ObjectId arguments at any position reach every rank as their objects at ${n} ranks`, async (t) => {
    const r = await mpinode(n, [...register, fixture('hot-path/objectid-args.mjs')]);
    t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
    t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    t.deepEqual(tagged(r.stdout, 'BAD'), []);
    t.is(tagged(r.stdout, 'OK').length, 10, r.stdout);
    t.true(r.stdout.includes('DONE'));
  });
}

for (const n of [1, 2, 4]) {
  test(`gather of values beyond a slot and the eager limit, at every root, at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [fixture('hot-path/gather-large.mjs')], { timeout: 120_000 });
    t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
    t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    t.deepEqual(tagged(r.stdout, 'FAIL'), []);
    const perRank = 5 * n + (n > 1 ? 1 + (n - 1) : 0) + 1;
    // rank 0 also checks the point-to-point values it received
    const expected = Array.from({ length: n }, () => perRank - (n > 1 ? n - 1 : 0));
    expected[0] = perRank;
    t.deepEqual(
      tagged(r.stdout, 'CHECKS ')
        .map(Number)
        .sort((a, b) => b - a),
      expected.sort((a, b) => b - a),
    );
    t.is(r.stdout.split('DONE').length - 1, n);
  });
}

for (const [n, fanout] of [
  [2, 'flat'],
  [4, 'flat'],
  [4, 'tree'],
  [4, 'ring'],
]) {
  test(`arguments a function keeps stay intact while later commands arrive, at ${n} ranks, ${fanout === 'ring' ? 'command ring' : `${fanout} fan-out`}`, async (t) => {
    const r = await mpinode(n, [...register, fixture('hot-path/kept-arguments.mjs')], {
      env: { MPI_LOOP_FANOUT: fanout },
    });
    t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
    t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    t.deepEqual(tagged(r.stdout, 'BAD'), []);
    t.is(r.stdout.split('\n').filter((l) => l === 'OK').length, n, r.stdout);
    t.true(r.stdout.includes('DONE'));
  });
}
