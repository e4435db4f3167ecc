"""Python baseline for examples/solver: the same distributed CG for the 2D
Poisson problem, written with mpi4py and NumPy in pyMOR's style: pyMOR's event
loop (tools.mpi: call, method_call, method_call_manage, a managed-object
registry), vectors held on the ranks and driven from rank 0 as pyMOR's
MPIVectorArray drives them.

usage: mpirun -n 4 python3 cg_mpi4py.py N [--tol T] [--repeat R]
Prints one JSON line: {"ranks", "n", "iterations", "residual", "seconds", "itersPerSecond"}.
With --repeat R: one untimed solve, then R timed solves from zero, as totals
(examples/solver/solve.mjs measures the same way).
"""
import json
import sys
import time

import numpy as np
from mpi4py import MPI

from pymor_tools import (  # pyMOR's tools.mpi
    call, comm, event_loop, function_call_manage, method_call, method_call_manage, quit, rank, rank0,
    remove_object, size,
)


# ---- the distributed objects (what every rank holds) ------------------------
def row_block(n, r):
    base, extra = divmod(n, size)
    return r * base + min(r, extra), base + (1 if r < extra else 0)


class DistributedVector:
    def __init__(self, n):
        self.n = n
        self.first_row, self.rows = row_block(n, rank)
        self.data = np.zeros((self.rows, n))

    def dot(self, other):
        local = np.array([np.vdot(self.data, other.data)])
        comm.Allreduce(MPI.IN_PLACE, local, op=MPI.SUM)
        return local[0]

    def norm(self):
        return np.sqrt(self.dot(self))

    def axpy(self, alpha, x):
        self.data += alpha * x.data

    def aypx(self, beta, x):
        self.data *= beta
        self.data += x.data

    def scal(self, alpha):
        self.data *= alpha

    def copy(self):
        c = DistributedVector(self.n)
        c.data[...] = self.data
        return c


def exact_solution(x, y):
    return np.sin(np.pi * x) * np.sin(2 * np.pi * y) + x * y * (1 - x) * (1 - y)


class PoissonOperator:
    def __init__(self, n):
        self.n = n
        self.first_row, self.rows = row_block(n, rank)
        self.up = rank - 1 if rank > 0 else MPI.PROC_NULL
        self.down = rank + 1 if rank < size - 1 else MPI.PROC_NULL
        self.above = np.zeros(n)
        self.below = np.zeros(n)

    def zeros(self):
        return DistributedVector(self.n)

    def rhs(self):
        n, h = self.n, 1 / (self.n + 1)
        j = np.arange(-1, n + 1)
        i = np.arange(self.first_row - 1, self.first_row + self.rows + 1)
        u = exact_solution((j[None, :] + 1) * h, (i[:, None] + 1) * h)
        u[:, 0] = u[:, -1] = 0
        if self.first_row == 0:
            u[0, :] = 0
        if self.first_row + self.rows == n:
            u[-1, :] = 0
        b = DistributedVector(n)
        b.data[...] = 4 * u[1:-1, 1:-1] - u[:-2, 1:-1] - u[2:, 1:-1] - u[1:-1, :-2] - u[1:-1, 2:]
        return b

    def apply(self, x, y):
        xd, yd = x.data, y.data
        comm.Sendrecv(xd[0], self.up, 11, self.below, self.down, 11)
        comm.Sendrecv(xd[-1], self.down, 12, self.above, self.up, 12)
        np.multiply(xd, 4, out=yd)
        yd[1:] -= xd[:-1]
        yd[:-1] -= xd[1:]
        yd[0] -= self.above
        yd[-1] -= self.below
        yd[:, 1:] -= xd[:, :-1]
        yd[:, :-1] -= xd[:, 1:]


# ---- rank 0: the proxies and CG --------------------------------------------
class Remote:
    """Rank 0's handle to a managed object, as pyMOR's MPIVectorArray wraps its ObjectId."""

    def __init__(self, obj_id):
        self.obj_id = obj_id

    def __getattr__(self, name):
        def method(*args):
            args = tuple(a.obj_id if isinstance(a, Remote) else a for a in args)
            return call(method_call, self.obj_id, name, *args)
        return method

    def manage(self, name, *args):
        args = tuple(a.obj_id if isinstance(a, Remote) else a for a in args)
        return Remote(call(method_call_manage, self.obj_id, name, *args))

    def dispose(self):
        call(remove_object, self.obj_id)


def cg(A, b, x, tol):
    r = b.manage('copy')
    q = A.manage('zeros')
    A.apply(x, q)
    r.axpy(-1.0, q)
    p = r.manage('copy')
    bnorm = b.norm()
    rr = r.dot(r)
    iterations = 0
    while np.sqrt(rr) > tol * bnorm:
        A.apply(p, q)
        alpha = rr / p.dot(q)
        x.axpy(alpha, p)
        r.axpy(-alpha, q)
        new = r.dot(r)
        p.aypx(new / rr, r)
        rr = new
        iterations += 1
    for v in (r, q, p):
        v.dispose()
    return iterations, np.sqrt(rr) / bnorm


def main():
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 128
    tol = float(args[args.index('--tol') + 1]) if '--tol' in args else 1e-10
    repeat = int(args[args.index('--repeat') + 1]) if '--repeat' in args else 0
    A = Remote(call(function_call_manage, PoissonOperator, n))
    b = A.manage('rhs')
    x = A.manage('zeros')
    iterations, residual, seconds = 0, float('nan'), 0.0
    for k in range(-1 if repeat > 0 else 0, max(repeat, 1)):
        x.scal(0.0)  # every solve starts from zero; k = -1 is the untimed warm-up
        t0 = time.perf_counter()
        its, residual = cg(A, b, x, tol)
        if k < 0:
            continue
        seconds += time.perf_counter() - t0
        iterations += its
    print(json.dumps({'ranks': size, 'n': n, 'iterations': iterations, 'residual': float(residual),
                      'seconds': seconds, 'itersPerSecond': iterations / seconds}), flush=True)


if __name__ == '__main__':
    if rank0:
        try:
            main()
        finally:
            quit()
    else:
        event_loop()
