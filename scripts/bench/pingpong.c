/* C baseline: MPI_Send/MPI_Recv pingpong between ranks 0 and 1.
 * usage: pingpong BATCHES [budget=MS] SIZE:ITERATIONS...
 * With a budget, a batch has fewer iterations when they would take longer
 * (a first run of up to 50 times them; rank 0's count on both ranks).
 * Prints for each size the median over batches of the one-way time (us):
 * half a round trip. */
#include "bench.h"

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int batches = (int)arg_long(argc, argv, 1, 5);
  double budget_ms = 0;
  for (int a = 2; a < argc; a++) {
    if (sscanf(argv[a], "budget=%lf", &budget_ms) == 1) continue;
    long size = 0, iters = 0;
    if (sscanf(argv[a], "%ld:%ld", &size, &iters) != 2) MPI_Abort(MPI_COMM_WORLD, 2);
    char *buf = malloc(size > 0 ? size : 1);
    memset(buf, 1, size);
    double *t = malloc(sizeof(double) * batches);
    long probe = iters < 50 ? iters : 50;
    for (int b = -2; b < batches; b++) { /* batch -2 times a few, -1 warms up */
      long n = b == -2 ? probe : iters;
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = now_us();
      for (long i = 0; i < n; i++) {
        if (rank == 0) {
          MPI_Send(buf, size, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
          MPI_Recv(buf, size, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == 1) {
          MPI_Recv(buf, size, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          MPI_Send(buf, size, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
        }
      }
      if (b == -2) {
        iters = iters_within(iters, probe, now_us() - t0, budget_ms);
        MPI_Bcast(&iters, 1, MPI_LONG, 0, MPI_COMM_WORLD);
      }
      if (b >= 0) t[b] = (now_us() - t0) / iters / 2;
    }
    char key[64];
    snprintf(key, sizeof key, "oneway-%ld", size);
    result_add(key, median(t, batches));
    free(t);
    free(buf);
  }
  if (rank == 0) result_print();
  MPI_Finalize();
  return 0;
}
