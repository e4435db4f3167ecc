// A distributed vector: every rank holds a Float64Array with its block of
// rows of an N x N grid function. Rank 0 drives it through a proxy
// (distribute / manage), the way pyMOR drives its MPIVectorArray: the data
// never travels, only the scalars that dot and norm return.
import { comm, rank, size, IN_PLACE, SUM } from 'mpi-loop';
import { blockCounts, rowBlock } from './layout.mjs';

export class DistributedVector {
  /** A zero vector for an n x n grid (rows split over the ranks). */
  constructor(n) {
    if (!Number.isInteger(n) || n < size)
      throw new RangeError(`grid size ${n} must be an integer >= the number of ranks (${size})`);
    this.n = n;
    const { start, count } = rowBlock(n, size, rank);
    this.firstRow = start;
    this.rows = count;
    this.data = new Float64Array(count * n);
    this.scratch = new Float64Array(1);
  }

  /** The global dot product: a local sum and one Allreduce. */
  dot(other) {
    this.scratch[0] = other === this ? localSquares(this.data) : localDot(this.data, other.data);
    comm.Allreduce(IN_PLACE, this.scratch, SUM);
    return this.scratch[0];
  }

  norm() {
    return Math.sqrt(this.dot(this));
  }

  /** this += alpha * x */
  axpy(alpha, x) {
    const a = this.data,
      b = x.data,
      n = a.length,
      m = n - (n & 7);
    // Eight at a time, all loads of x before the stores: V8 then keeps them in
    // registers instead of reloading after each store (about 20% faster than four).
    for (let i = 0; i < m; i += 8) {
      const b0 = b[i],
        b1 = b[i + 1],
        b2 = b[i + 2],
        b3 = b[i + 3];
      const b4 = b[i + 4],
        b5 = b[i + 5],
        b6 = b[i + 6],
        b7 = b[i + 7];
      a[i] += alpha * b0;
      a[i + 1] += alpha * b1;
      a[i + 2] += alpha * b2;
      a[i + 3] += alpha * b3;
      a[i + 4] += alpha * b4;
      a[i + 5] += alpha * b5;
      a[i + 6] += alpha * b6;
      a[i + 7] += alpha * b7;
    }
    for (let i = m; i < n; i++) a[i] += alpha * b[i];
  }

  /** this = x + beta * this (the CG direction update in one pass) */
  aypx(beta, x) {
    const a = this.data,
      b = x.data,
      n = a.length,
      m = n - (n & 7);
    for (let i = 0; i < m; i += 8) {
      const a0 = a[i],
        a1 = a[i + 1],
        a2 = a[i + 2],
        a3 = a[i + 3];
      const a4 = a[i + 4],
        a5 = a[i + 5],
        a6 = a[i + 6],
        a7 = a[i + 7];
      a[i] = b[i] + beta * a0;
      a[i + 1] = b[i + 1] + beta * a1;
      a[i + 2] = b[i + 2] + beta * a2;
      a[i + 3] = b[i + 3] + beta * a3;
      a[i + 4] = b[i + 4] + beta * a4;
      a[i + 5] = b[i + 5] + beta * a5;
      a[i + 6] = b[i + 6] + beta * a6;
      a[i + 7] = b[i + 7] + beta * a7;
    }
    for (let i = m; i < n; i++) a[i] = b[i] + beta * a[i];
  }

  /** this *= alpha */
  scal(alpha) {
    const a = this.data;
    if (alpha === 0) a.fill(0);
    else for (let i = 0; i < a.length; i++) a[i] *= alpha;
  }

  /** A new vector with the same values (keep it managed: proxy.manage.copy()). */
  copy() {
    const c = new DistributedVector(this.n);
    c.data.set(this.data);
    return c;
  }

  /** The whole vector on rank 0 (Gatherv), row by row; undefined on the other ranks. */
  toArray() {
    const { counts, displs } = blockCounts(this.n, size);
    const all = rank === 0 ? new Float64Array(this.n * this.n) : null;
    comm.Gatherv(this.data, [all, counts, displs], 0);
    return all ?? undefined;
  }
}

/**
 * The local part of a dot product. Four partial sums (unrolled by hand) let
 * the additions overlap instead of waiting on one another: about twice as fast.
 */
function localDot(a, b) {
  const n = a.length,
    m = n - (n & 3);
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let i = 0; i < m; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (let i = m; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

/** The local part of x . x: one load per element instead of two (r . r and norms). */
function localSquares(a) {
  const n = a.length,
    m = n - (n & 3);
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let i = 0; i < m; i += 4) {
    const x0 = a[i],
      x1 = a[i + 1],
      x2 = a[i + 2],
      x3 = a[i + 3];
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
  }
  for (let i = m; i < n; i++) s0 += a[i] * a[i];
  return s0 + s1 + (s2 + s3);
}
