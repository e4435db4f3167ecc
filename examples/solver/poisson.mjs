// The 2D Poisson problem -Δu = f on the unit square with u = 0 on the
// boundary, discretised by the 5-point Laplacian on an N x N grid of interior
// points (h = 1 / (N + 1)), scaled by h² so that A has 4 on the diagonal.
// Each rank owns a block of rows; applying A needs one row from each
// neighbouring rank (the halo). The ranks form a 1D Cartesian grid in row
// order, and one neighbourhood collective exchanges both halo rows.
import { comm, size } from 'mpi-loop';
import { f64Block, stencil } from './kernels.mjs';
import { DistributedVector } from './vector.mjs';

/** The manufactured solution the right-hand side is made from, so the exact answer is known. */
export function exactSolution(x, y) {
  return Math.sin(Math.PI * x) * Math.sin(2 * Math.PI * y) + x * y * (1 - x) * (1 - y);
}

export class PoissonOperator {
  constructor(n) {
    this.n = n;
    const probe = new DistributedVector(n);
    this.firstRow = probe.firstRow;
    this.rows = probe.rows;
    // Not periodic and not reordered: rank r keeps row block r, and the
    // first and last ranks have PROC_NULL beyond the boundary.
    this.grid = comm.createCart([size], [false], false);
    // The grid's neighbours in the collective's order: [up, down] = shift(0, 1).
    [this.up, this.down] = this.grid.shift(0, 1);
    // Sent: my first row (to up) and my last row (to down). Received: the row
    // before my first (from up) and the row after my last (from down); a
    // PROC_NULL neighbour leaves its block zero, the boundary value.
    // The halo lives beside the vectors, where the stencil kernel reads it:
    // above is its first n doubles, below its last n.
    this.edges = new Float64Array(2 * n);
    this.haloBlock = f64Block(2 * n, this);
  }

  /** A zero vector of the operator's size (keep it managed: A.manage.zeros()). */
  zeros() {
    return new DistributedVector(this.n);
  }

  /** The exact solution sampled on the grid. */
  exact() {
    const v = new DistributedVector(this.n),
      d = v.data,
      n = this.n,
      h = 1 / (n + 1);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < n; j++) d[i * n + j] = exactSolution((j + 1) * h, (this.firstRow + i + 1) * h);
    }
    return v;
  }

  /** b = A u for the exact solution u (computed pointwise, no halo needed). */
  rhs() {
    const b = new DistributedVector(this.n),
      d = b.data,
      n = this.n,
      h = 1 / (n + 1);
    const u = (i, j) => (i < 0 || j < 0 || i >= n || j >= n ? 0 : exactSolution((j + 1) * h, (i + 1) * h));
    for (let li = 0; li < this.rows; li++) {
      const i = this.firstRow + li;
      for (let j = 0; j < n; j++) {
        d[li * n + j] = 4 * u(i, j) - u(i - 1, j) - u(i + 1, j) - u(i, j - 1) - u(i, j + 1);
      }
    }
    return b;
  }

  /** Fills the halo rows from the neighbouring ranks. */
  exchange(x) {
    const n = this.n,
      d = x.data,
      last = (this.rows - 1) * n;
    this.edges.set(d.subarray(0, n), 0);
    this.edges.set(d.subarray(last, last + n), n);
    this.grid.Neighbor_alltoall(this.edges, this.haloBlock.array);
  }

  /** y = A x */
  apply(x, y) {
    this.exchange(x);
    stencil(x.data, y.data, this.haloBlock.array, this.n);
  }
}
