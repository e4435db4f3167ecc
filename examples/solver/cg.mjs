// Conjugate gradients, driven from rank 0: every step is a method call on
// distributed objects (proxies from mpi-loop/parallel), so the vectors stay
// on the ranks that own them and only scalars come back to rank 0.

/**
 * Solves A x = b for a symmetric positive definite operator A, starting from
 * x's current value. A needs apply(x, y) (y = A x) and zeros(); the vectors
 * need dot, norm, axpy, aypx and copy. Stops when ||r|| <= tol * ||b||.
 * Resolves to { iterations, residual } (the recurrence's relative residual).
 */
export async function cg(A, b, x, { tol = 1e-10, maxIterations = 100_000 } = {}) {
  const r = await b.manage.copy();
  const q = await A.manage.zeros();
  try {
    await A.apply(x, q);
    await r.axpy(-1, q); // r = b - A x
    const p = await r.manage.copy();
    try {
      const bnorm = await b.norm();
      let rr = await r.dot(r);
      let iterations = 0;
      while (Math.sqrt(rr) > tol * bnorm && iterations < maxIterations) {
        await A.apply(p, q);
        const alpha = rr / (await p.dot(q));
        await x.axpy(alpha, p);
        await r.axpy(-alpha, q);
        const next = await r.dot(r);
        await p.aypx(next / rr, r); // p = r + beta p
        rr = next;
        iterations++;
      }
      return { iterations, residual: bnorm === 0 ? 0 : Math.sqrt(rr) / bnorm };
    } finally {
      p[Symbol.dispose]();
    }
  } finally {
    q[Symbol.dispose]();
    r[Symbol.dispose]();
  }
}

/** The true relative residual ||b - A x|| / ||b||, computed afresh. */
export async function relativeResidual(A, b, x) {
  const r = await b.manage.copy();
  const q = await A.manage.zeros();
  try {
    await A.apply(x, q);
    await r.axpy(-1, q);
    return (await r.norm()) / (await b.norm());
  } finally {
    q[Symbol.dispose]();
    r[Symbol.dispose]();
  }
}
