"""Python baseline: mpi4py collectives of small values (pickled), SPMD.

usage: collectives.py BATCHES ITERATIONS [BUDGET_MS]  -> gather, allgather, bcast, allreduce
Figures: microseconds per call on rank 0, median over batches. A batch has
fewer calls when ITERATIONS of them would take longer than BUDGET_MS: a
first run of 50 calls times them, and every rank takes rank 0's count.
"""
import sys
import time

from mpi4py import MPI

import benchlib

comm = MPI.COMM_WORLD
rank = comm.rank
count, iterations = int(sys.argv[1]), int(sys.argv[2])
budget_ms = float(sys.argv[3]) if len(sys.argv) > 3 else float('inf')
obj = {'a': 7, 'b': 3.14, 'c': [1, 2, 3]}

bodies = [
    ('gather', lambda: comm.gather(rank, 0)),
    ('allgather', lambda: comm.allgather(rank)),
    ('bcast', lambda: comm.bcast(obj if rank == 0 else None, 0)),
    ('allreduce', lambda: comm.allreduce(rank)),
]


def iterations_within(body):
    probe = min(iterations, 50)
    comm.Barrier()
    t0 = time.perf_counter()
    for _ in range(probe):
        body()
    per_call_ms = max((time.perf_counter() - t0) * 1e3 / probe, 1e-9)
    fit = iterations if budget_ms == float('inf') else max(probe, min(iterations, int(budget_ms / per_call_ms)))
    return comm.bcast(fit if rank == 0 else None, 0)


for name, body in bodies:
    n = iterations_within(body)
    times = []
    for b in range(-1, count):  # batch -1 warms up
        comm.Barrier()
        t0 = time.perf_counter()
        for _ in range(n):
            body()
        if b >= 0:
            times.append((time.perf_counter() - t0) * 1e6 / n)
    benchlib.add(name, benchlib.median(times))
if rank == 0:
    benchlib.emit()
