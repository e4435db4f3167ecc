# Tiny-task throughput of mpi4py.futures' executor map, the baseline for
# scripts/bench/futures-throughput.mjs. Run as:
#   mpirun -n 3 python3 -m mpi4py.futures futures_mpi4py.py TASKS CHUNKSIZE
import json
import sys
import time

from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor


def main():
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    chunksize = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with MPIPoolExecutor() as executor:
        list(executor.map(abs, range(-1000, 1000), chunksize=chunksize))  # warm-up, as in futures-map.mjs
        start = time.perf_counter()
        total = 0
        for v in executor.map(abs, range(-tasks // 2, tasks - tasks // 2), chunksize=chunksize):
            total += v
        elapsed = time.perf_counter() - start
    print(json.dumps({
        "ranks": MPI.COMM_WORLD.Get_size(), "chunksize": chunksize, "tasks": tasks,
        "seconds": elapsed, "tasksPerSecond": tasks / elapsed, "mpi4py": __import__("mpi4py").__version__,
    }))


if __name__ == "__main__":
    main()
