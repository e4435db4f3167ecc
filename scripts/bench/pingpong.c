/* C baseline: MPI_Send/MPI_Recv pingpong between ranks 0 and 1.
 * usage: pingpong BATCHES SIZE:ITERATIONS...
 * Prints for each size the median over batches of the one-way time (us):
 * half a round trip. */
#include "bench.h"

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int batches = (int)arg_long(argc, argv, 1, 5);
  for (int a = 2; a < argc; a++) {
    long size = 0, iters = 0;
    if (sscanf(argv[a], "%ld:%ld", &size, &iters) != 2) MPI_Abort(MPI_COMM_WORLD, 2);
    char *buf = malloc(size > 0 ? size : 1);
    memset(buf, 1, size);
    double *t = malloc(sizeof(double) * batches);
    for (int b = -1; b < batches; b++) { /* batch -1 warms up */
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = now_us();
      for (long i = 0; i < iters; i++) {
        if (rank == 0) {
          MPI_Send(buf, size, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
          MPI_Recv(buf, size, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == 1) {
          MPI_Recv(buf, size, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          MPI_Send(buf, size, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
        }
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
