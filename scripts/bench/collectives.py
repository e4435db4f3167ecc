"""Python baseline: mpi4py collectives of small values (pickled), SPMD.

usage: collectives.py BATCHES ITERATIONS  -> gather, allgather, bcast, allreduce
Figures: microseconds per call on rank 0, median over batches.
"""
import sys
import time

from mpi4py import MPI

import benchlib

comm = MPI.COMM_WORLD
rank = comm.rank
count, iterations = int(sys.argv[1]), int(sys.argv[2])
obj = {'a': 7, 'b': 3.14, 'c': [1, 2, 3]}

bodies = [
    ('gather', lambda: comm.gather(rank, 0)),
    ('allgather', lambda: comm.allgather(rank)),
    ('bcast', lambda: comm.bcast(obj if rank == 0 else None, 0)),
    ('allreduce', lambda: comm.allreduce(rank)),
]

for name, body in bodies:
    times = []
    for b in range(-1, count):  # batch -1 warms up
        comm.Barrier()
        t0 = time.perf_counter()
        for _ in range(iterations):
            body()
        if b >= 0:
            times.append((time.perf_counter() - t0) * 1e6 / iterations)
    benchlib.add(name, benchlib.median(times))
if rank == 0:
    benchlib.emit()
