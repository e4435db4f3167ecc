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
    this.scratch[0] = localDot(this.data, other.data);
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
      m = n - (n & 3);
    for (let i = 0; i < m; i += 4) {
      a[i] += alpha * b[i];
      a[i + 1] += alpha * b[i + 1];
      a[i + 2] += alpha * b[i + 2];
      a[i + 3] += alpha * b[i + 3];
    }
    for (let i = m; i < n; i++) a[i] += alpha * b[i];
  }

  /** this = x + beta * this (the CG direction update in one pass) */
  aypx(beta, x) {
    const a = this.data,
      b = x.data,
      n = a.length,
      m = n - (n & 3);
    for (let i = 0; i < m; i += 4) {
      a[i] = b[i] + beta * a[i];
      a[i + 1] = b[i + 1] + beta * a[i + 1];
      a[i + 2] = b[i + 2] + beta * a[i + 2];
      a[i + 3] = b[i + 3] + beta * a[i + 3];
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
