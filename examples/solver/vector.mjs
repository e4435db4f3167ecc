// A distributed vector: every rank holds a Float64Array with its block of
// rows of an N x N grid function. Rank 0 drives it through a proxy
// (distribute / manage), the way pyMOR drives its MPIVectorArray: the data
// never travels, only the scalars that dot and norm return. The loops run as
// WebAssembly SIMD kernels (kernels.mjs), as NumPy's run as vectorised C.
import { comm, rank, size, IN_PLACE, SUM } from 'mpi-loop';
import { axpy, aypx, dot, f64Block, squares } from './kernels.mjs';
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
    this.block = f64Block(count * n, this);
    this.scratch = new Float64Array(1);
  }

  /** This rank's rows, one after another (a view: read it afresh, see kernels.mjs). */
  get data() {
    return this.block.array;
  }

  /** The global dot product: a local sum and one Allreduce. */
  dot(other) {
    this.scratch[0] = other === this ? squares(this.data) : dot(this.data, other.data);
    comm.Allreduce(IN_PLACE, this.scratch, SUM);
    return this.scratch[0];
  }

  norm() {
    return Math.sqrt(this.dot(this));
  }

  /** this += alpha * x */
  axpy(alpha, x) {
    axpy(this.data, x.data, alpha);
  }

  /** this = x + beta * this (the CG direction update in one pass) */
  aypx(beta, x) {
    aypx(this.data, x.data, beta);
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
