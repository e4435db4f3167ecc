// Parallel I/O (File) on real MPI at 1, 2 and 4 ranks, writing only into a
// temporary directory; and the examples/mpi-io script, which writes a
// distributed vector at one rank count and reads it back at others.
import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { fixture, mpinode, root } from './helpers/mpirun.mjs';
import { assertChecks } from './helpers/fixture-checks.mjs';
import { tempDir } from './helpers/tmpdir.mjs';

for (const n of [1, 2, 4]) {
  test(`File: every access mode, offsets, views and nonblocking I/O at ${n} rank(s)`, async (t) => {
    const dir = tempDir(t);
    const r = await mpinode(n, [fixture('mpi-io.mjs'), dir], { timeout: 110_000 });
    assertChecks(t, r, n, 150);
  });
}

test('examples/mpi-io: a vector written at 2 ranks reads back at 3 and 4', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'vector.bin');
  const script = path.join(root, 'examples', 'mpi-io', 'vector.mjs');
  const length = 1001; // not a multiple of any rank count
  const w = await mpinode(2, [script, 'write', file, String(length)], { timeout: 90_000 });
  t.is(w.code, 0, `${w.stdout}\n${w.stderr}`);
  t.regex(w.stdout, new RegExp(`wrote ${length} doubles from 2 ranks`));
  // The file holds x[i] = sqrt(i), whoever wrote it.
  const raw = new Float64Array(new Uint8Array(fs.readFileSync(file)).buffer);
  t.is(raw.length, length);
  t.true(raw.every((x, i) => x === Math.sqrt(i)));
  for (const n of [3, 4]) {
    const r = await mpinode(n, [script, 'read', file, String(length)], { timeout: 90_000 });
    t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    // Each rank checks its block; rank 0 reports the total read and the sum.
    const m = new RegExp(`read ${length} doubles on ${n} ranks, 0 wrong, sum ([0-9.]+)`).exec(r.stdout);
    t.truthy(m, r.stdout);
    const sum = raw.reduce((a, b) => a + b);
    t.true(Math.abs(Number(m[1]) - sum) < 1e-6 * sum, `sum ${m[1]} vs ${sum}`);
  }
});
