// The WebAssembly SIMD kernels of the example solver (examples/solver/kernels.mjs):
// bit for bit the results of plain scalar loops, blocks that survive the
// memory growing, clear errors for arrays outside the kernels' memory, and a
// committed kernels.wasm that is what kernels.wat assembles to.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { root } from './helpers/mpirun.mjs';

const dir = path.join(root, 'examples', 'solver');
const kernels = await import(path.join(dir, 'kernels.mjs'));
const { assemble } = await import(path.join(dir, 'build-kernels.mjs'));

const owners = []; // keeps the blocks alive for the whole file
function block(values) {
  const owner = {};
  owners.push(owner);
  const b = kernels.f64Block(values.length, owner);
  b.array.set(values);
  return b;
}

// Seeded, with negative values, zeros and magnitudes far apart, so that
// a change in the order of any addition shows in the low bits.
function randoms(n, seed) {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % 7 === 3 ? 0 : (s / 2 ** 32 - 0.5) * 10 ** ((s % 9) - 4);
  }
  return out;
}

const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 37, 1000, 1027];

// The scalar loops the kernels replace, summing as the kernels document.
function dotRef(a, b) {
  const s = [0, 0, 0, 0],
    m = a.length - (a.length % 4);
  for (let i = 0; i < m; i++) s[i % 4] += a[i] * b[i];
  for (let i = m; i < a.length; i++) s[0] += a[i] * b[i];
  return s[0] + s[1] + (s[2] + s[3]);
}
function stencilRef(x, halo, n) {
  const rows = x.length / n,
    y = new Float64Array(x.length);
  const at = (i, j) => (j < 0 || j >= n ? 0 : i < 0 ? halo[j] : i >= rows ? halo[n + j] : x[i * n + j]);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < n; j++) {
      let v = 4 * at(i, j) - at(i - 1, j) - at(i + 1, j);
      if (j > 0) v -= at(i, j - 1);
      if (j < n - 1) v -= at(i, j + 1);
      y[i * n + j] = v;
    }
  return y;
}

test("axpy and aypx give the scalar loops' results bit for bit, at every length", (t) => {
  for (const n of lengths) {
    const a = randoms(n, n + 1),
      b = randoms(n, n + 2);
    const A = block(a),
      B = block(b);
    kernels.axpy(A.array, B.array, -0.37);
    t.deepEqual(
      A.array,
      a.map((v, i) => v + -0.37 * b[i]),
      `axpy, length ${n}`,
    );
    const C = block(a);
    kernels.aypx(C.array, B.array, 1.9);
    t.deepEqual(
      C.array,
      a.map((v, i) => b[i] + 1.9 * v),
      `aypx, length ${n}`,
    );
    t.deepEqual(B.array, b, `axpy and aypx leave their second operand alone (length ${n})`);
  }
});

test('dot and squares sum in four partial sums, bit for bit the scalar loop', (t) => {
  for (const n of lengths) {
    const a = randoms(n, 3 * n + 1),
      b = randoms(n, 3 * n + 2);
    const A = block(a),
      B = block(b);
    t.is(kernels.dot(A.array, B.array), dotRef(a, b), `dot, length ${n}`);
    t.is(kernels.squares(A.array), dotRef(a, a), `squares, length ${n}`);
  }
  // the order is visible: summed left to right these give 2; in the four
  // partial sums (1e16 + 1) + 1 and -1e16 + 1 round to 1e16 and -1e16
  const a = new Float64Array([1e16, 1, -1e16, 1, 1]);
  t.is(kernels.dot(block(a).array, block(new Float64Array(5).fill(1)).array), 0);
});

test('the stencil is the 5-point Laplacian with the halo rows, bit for bit, for every shape', (t) => {
  for (const [n, rows] of [
    [1, 1],
    [1, 3],
    [2, 1],
    [2, 2],
    [3, 4],
    [4, 1],
    [5, 2],
    [8, 3],
    [37, 5],
    [64, 64],
  ]) {
    const x = randoms(n * rows, n * 100 + rows),
      halo = randoms(2 * n, n * 100 + rows + 7);
    const X = block(x),
      Y = block(new Float64Array(n * rows).fill(NaN)),
      H = block(halo);
    kernels.stencil(X.array, Y.array, H.array, n);
    t.deepEqual(Y.array, stencilRef(x, halo, n), `${rows} row(s) of ${n}`);
  }
});

test('blocks start zeroed and keep their values when the memory grows under them', (t) => {
  const first = block(randoms(1000, 5));
  const kept = Float64Array.from(first.array);
  const before = first.array;
  // more than the memory holds now: it grows, detaching every earlier view
  const big = kernels.f64Block(4 * 1024 * 1024, {});
  t.is(before.length, 0, 'the old view is detached by the growth');
  t.deepEqual(first.array, kept, 'a block read afresh after the growth has its values');
  t.true(big.array.every((v) => v === 0));
  kernels.axpy(first.array, first.array, 1);
  t.deepEqual(
    first.array,
    kept.map((v) => 2 * v),
  );
});

test("operands outside the kernels' memory, or of unequal lengths, are refused by name", (t) => {
  const a = block(randoms(8, 1)).array;
  t.throws(() => kernels.axpy(a, new Float64Array(8), 1), { instanceOf: TypeError, message: /f64Block/ });
  t.throws(() => kernels.dot(new Float64Array(8), a), { instanceOf: TypeError, message: /f64Block/ });
  t.throws(() => kernels.aypx(a, block(randoms(9, 2)).array, 1), {
    instanceOf: RangeError,
    message: /differ in length \(8 and 9\)/,
  });
  t.throws(() => kernels.stencil(a, block(randoms(8, 3)).array, block(randoms(6, 4)).array, 3), {
    instanceOf: RangeError,
    message: /not rows of 3/,
  });
  t.deepEqual(a, block(randoms(8, 1)).array, 'a refused call writes nothing');
});

test('kernels.wasm is what kernels.wat assembles to', async (t) => {
  const built = await assemble();
  t.true(built.equals(readFileSync(path.join(dir, 'kernels.wasm'))), 'run node examples/solver/build-kernels.mjs');
});
