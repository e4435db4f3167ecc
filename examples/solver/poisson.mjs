// The 2D Poisson problem -Δu = f on the unit square with u = 0 on the
// boundary, discretised by the 5-point Laplacian on an N x N grid of interior
// points (h = 1 / (N + 1)), scaled by h² so that A has 4 on the diagonal.
// Each rank owns a block of rows; applying A needs one row from each
// neighbouring rank (the halo). The ranks form a 1D Cartesian grid in row
// order, and one neighbourhood collective exchanges both halo rows.
import { comm, size } from 'mpi-loop';
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
    this.edges = new Float64Array(2 * n);
    this.halo = new Float64Array(2 * n);
    this.above = this.halo.subarray(0, n);
    this.below = this.halo.subarray(n);
  }

  /** A zero vector of the operator's size (keep it managed: A.manage.zeros()). */
  zeros() {
    return new DistributedVector(this.n);
  }

  /** The exact solution sampled on the grid. */
  exact() {
    const v = new DistributedVector(this.n),
      n = this.n,
      h = 1 / (n + 1);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < n; j++) v.data[i * n + j] = exactSolution((j + 1) * h, (this.firstRow + i + 1) * h);
    }
    return v;
  }

  /** b = A u for the exact solution u (computed pointwise, no halo needed). */
  rhs() {
    const b = new DistributedVector(this.n),
      n = this.n,
      h = 1 / (n + 1);
    const u = (i, j) => (i < 0 || j < 0 || i >= n || j >= n ? 0 : exactSolution((j + 1) * h, (i + 1) * h));
    for (let li = 0; li < this.rows; li++) {
      const i = this.firstRow + li;
      for (let j = 0; j < n; j++) {
        b.data[li * n + j] = 4 * u(i, j) - u(i - 1, j) - u(i + 1, j) - u(i, j - 1) - u(i, j + 1);
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
    this.grid.Neighbor_alltoall(this.edges, this.halo);
  }

  /** y = A x */
  apply(x, y) {
    this.exchange(x);
    const n = this.n,
      rows = this.rows,
      xd = x.data,
      yd = y.data;
    if (rows === 1) {
      stencilRow(xd, yd, 0, n, this.above, 0, this.below, 0);
      return;
    }
    stencilRow(xd, yd, 0, n, this.above, 0, xd, n);
    // interior rows read their neighbours from x itself: no views, no branches
    for (let i = 1; i < rows - 1; i++) stencilRow(xd, yd, i * n, n, xd, (i - 1) * n, xd, (i + 1) * n);
    const last = (rows - 1) * n;
    stencilRow(xd, yd, last, n, xd, last - n, this.below, 0);
  }
}

/**
 * One row of y = A x: the row starts at `row`, its upper and lower neighbours
 * at up[u..], down[d..]. The left, centre and right values slide along in
 * locals, so each point loads three values instead of five; four points a
 * turn, their loads first, let V8 keep everything in registers.
 */
function stencilRow(xd, yd, row, n, up, u, down, d) {
  const end = row + n - 1;
  // the first and last columns see the zero boundary
  let left = 0,
    centre = xd[row],
    c = row;
  for (const stop = end - 3; c < stop; c += 4, u += 4, d += 4) {
    const r0 = xd[c + 1],
      r1 = xd[c + 2],
      r2 = xd[c + 3],
      r3 = xd[c + 4];
    const u0 = up[u],
      u1 = up[u + 1],
      u2 = up[u + 2],
      u3 = up[u + 3];
    const d0 = down[d],
      d1 = down[d + 1],
      d2 = down[d + 2],
      d3 = down[d + 3];
    yd[c] = 4 * centre - u0 - d0 - left - r0;
    yd[c + 1] = 4 * r0 - u1 - d1 - centre - r1;
    yd[c + 2] = 4 * r1 - u2 - d2 - r0 - r2;
    yd[c + 3] = 4 * r2 - u3 - d3 - r1 - r3;
    left = r2;
    centre = r3;
  }
  for (; c < end; c++, u++, d++) {
    const right = xd[c + 1];
    yd[c] = 4 * centre - up[u] - down[d] - left - right;
    left = centre;
    centre = right;
  }
  yd[end] = 4 * centre - up[u] - down[d] - left;
}
