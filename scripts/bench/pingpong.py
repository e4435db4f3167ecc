"""Python baseline: mpi4py pingpong between ranks 0 and 1.

usage: pingpong.py buffer BATCHES [budget=MS] SIZE:ITERATIONS...   (comm.Send/Recv)  -> oneway-SIZE
       pingpong.py object BATCHES ITERATIONS            (comm.send/recv)  -> object
Figures: one-way time in microseconds (half a round trip), median over batches.
"""
import sys
import time

from mpi4py import MPI

import benchlib

comm = MPI.COMM_WORLD
rank = comm.rank


def batches(count, body):
    times = []
    for b in range(-1, count):  # batch -1 warms up
        comm.Barrier()
        t0 = time.perf_counter()
        iterations = body()
        if b >= 0:
            times.append((time.perf_counter() - t0) * 1e6 / iterations / 2)
    return benchlib.median(times)


def buffer_pingpong(size, iterations):
    buf = benchlib.byte_buffer(size)

    def body():
        for _ in range(iterations):
            if rank == 0:
                comm.Send(buf, 1, 0)
                comm.Recv(buf, 1, 0)
            elif rank == 1:
                comm.Recv(buf, 0, 0)
                comm.Send(buf, 0, 0)
        return iterations
    return body


def object_pingpong(iterations):
    obj = {'a': 7, 'b': 3.14, 'c': [1, 2, 3]}

    def body():
        for _ in range(iterations):
            if rank == 0:
                comm.send(obj, 1, 0)
                comm.recv(source=1, tag=0)
            elif rank == 1:
                got = comm.recv(source=0, tag=0)
                comm.send(got, 0, 0)
        return iterations
    return body


def iterations_within(size, iterations, budget_ms):
    """Iterations of a batch: fewer when they would outlast budget_ms (a first
    run of up to 50 times them; rank 0's count on both ranks)."""
    if budget_ms is None:
        return iterations
    probe = min(iterations, 50)
    comm.Barrier()
    t0 = time.perf_counter()
    buffer_pingpong(size, probe)()
    per_ms = max((time.perf_counter() - t0) * 1e3 / probe, 1e-9)
    fit = max(probe, min(iterations, int(budget_ms / per_ms)))
    return comm.bcast(fit if rank == 0 else None, 0)


mode, count = sys.argv[1], int(sys.argv[2])
if mode == 'buffer':
    rest = sys.argv[3:]
    budget = [float(a[len('budget='):]) for a in rest if a.startswith('budget=')]
    for size, iterations in benchlib.pairs([a for a in rest if not a.startswith('budget=')]):
        n = iterations_within(size, iterations, budget[0] if budget else None)
        benchlib.add('oneway-%d' % size, batches(count, buffer_pingpong(size, n)))
else:
    benchlib.add('object', batches(count, object_pingpong(int(sys.argv[3]))))
if rank == 0:
    benchlib.emit()
