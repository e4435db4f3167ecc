"""Python baseline: mpi4py comm.Allreduce of float64 arrays (SUM).

usage: allreduce.py BATCHES BYTES:ITERATIONS...  -> allreduce-BYTES (us per operation, median over batches)
"""
import sys
import time

from mpi4py import MPI

import benchlib

comm = MPI.COMM_WORLD
count = int(sys.argv[1])
for size, iterations in benchlib.pairs(sys.argv[2:]):
    src, dst = benchlib.double_array(size // 8), benchlib.double_array(size // 8)
    times = []
    for b in range(-1, count):
        comm.Barrier()
        t0 = time.perf_counter()
        for _ in range(iterations):
            comm.Allreduce(src, dst, op=MPI.SUM)
        if b >= 0:
            times.append((time.perf_counter() - t0) * 1e6 / iterations)
    benchlib.add('allreduce-%d' % size, benchlib.median(times))
if comm.rank == 0:
    benchlib.emit()
