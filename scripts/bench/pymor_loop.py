"""Python baseline: pyMOR's event loop (pymor.tools.mpi), as pyMOR writes it,
driven the way the mpi-loop benchmarks drive theirs.

usage: pymor_loop.py noop CALLS BATCHES [BUDGET_MS]    -> noop, noop-cpu
       pymor_loop.py gather CALLS BATCHES [BUDGET_MS]  -> gather
       pymor_loop.py array BATCHES BYTES:CALLS...  -> array-BYTES
       pymor_loop.py idle MS                       -> idle-cpu, first-call, hot-call
       pymor_loop.py memory WARMUP CALLS           -> rss-start-rK, drift-rK (MB)
Times: rank 0's microseconds per call over CALLS calls ended by one
synchronising call (a barrier), median over batches; noop-cpu: rank 0's CPU
time per call over the calls alone.
"""
import gc
import os
import sys
import time

import benchlib

from pymor_tools import call, comm, event_loop, quit, rank, rank0, size  # pyMOR's tools.mpi


# ---- the functions the benchmarks call (by reference, as pickle sends them) --
def noop():
    pass


def barrier():
    comm.Barrier()


def gather_rank():
    return comm.gather(rank)


def take_array(a):
    return len(a)


_idle = {}


def idle_start():
    _idle['start'] = (time.process_time(), time.monotonic())


def idle_end():
    _idle['end'] = (time.process_time(), time.monotonic())
    comm.Barrier()


def idle_report():
    (c0, w0), (c1, w1) = _idle['start'], _idle['end']
    return comm.gather(100 * (c1 - c0) / (w1 - w0))


def rss():
    gc.collect()
    with open('/proc/self/statm') as f:
        resident = int(f.read().split()[1])
    return comm.gather(resident * os.sysconf('SC_PAGE_SIZE'))


# ---- the driver, on rank 0 -------------------------------------------------
def per_call(calls, batches, f, *args, budget_ms=None):
    return per_call_with_cpu(calls, batches, f, *args, budget_ms=budget_ms)[0]


def per_call_with_cpu(calls, batches, f, *args, budget_ms=None):
    """Microseconds per call (ended by a barrier), and rank 0's CPU time per
    call over the calls alone; medians over the batches. With budget_ms, a
    batch has fewer calls when they would take longer (a first run of up to
    50 times them)."""
    if budget_ms is not None:
        probe = min(calls, 50)
        call(barrier)
        t0 = time.perf_counter()
        for _ in range(probe):
            call(f, *args)
        call(barrier)
        per_ms = max((time.perf_counter() - t0) * 1e3 / probe, 1e-9)
        calls = max(probe, min(calls, int(budget_ms / per_ms)))
    times, cpu = [], []
    for b in range(-1, batches):
        call(barrier)
        t0 = time.perf_counter()
        c0 = time.process_time()
        for _ in range(calls):
            call(f, *args)
        c1 = time.process_time()
        call(barrier)
        if b >= 0:
            times.append((time.perf_counter() - t0) * 1e6 / calls)
            cpu.append((c1 - c0) * 1e6 / calls)
    return benchlib.median(times), benchlib.median(cpu)


def main():
    mode = sys.argv[1]
    arg = benchlib.arg
    if mode == 'noop':
        wall, cpu = per_call_with_cpu(arg(2, 10000), arg(3, 5), noop, budget_ms=arg(4, None))
        benchlib.add('noop', wall)
        benchlib.add('noop-cpu', cpu)
    elif mode == 'gather':
        benchlib.add('gather', per_call(arg(2, 10000), arg(3, 5), gather_rank, budget_ms=arg(4, None)))
    elif mode == 'array':
        for nbytes, calls in benchlib.pairs(sys.argv[3:]):
            a = benchlib.double_array(nbytes // 8)
            benchlib.add('array-%d' % nbytes, per_call(calls, arg(2, 5), take_array, a))
    elif mode == 'idle':
        call(barrier)
        call(idle_start)
        time.sleep(arg(2, 5000) / 1000)
        t0 = time.perf_counter()
        call(idle_end)
        benchlib.add('first-call', (time.perf_counter() - t0) * 1e6)
        t0 = time.perf_counter()
        call(barrier)
        benchlib.add('hot-call', (time.perf_counter() - t0) * 1e6)
        benchlib.add('idle-cpu', max(call(idle_report)[1:]))
    elif mode == 'memory':
        start = call(rss)
        for _ in range(arg(2, 1000)):
            call(noop)
        base = call(rss)
        for _ in range(arg(3, 100000)):
            call(noop)
        end = call(rss)
        for r in range(size):
            benchlib.add('rss-start-r%d' % r, start[r] / 1e6)
            benchlib.add('drift-r%d' % r, (end[r] - base[r]) / 1e6)
    quit()
    benchlib.emit()


if rank0:
    main()
else:
    event_loop()
