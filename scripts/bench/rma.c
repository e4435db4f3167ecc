/* C baseline: one-sided latency between ranks 0 and 1 on an MPI_Win_allocate
 * window of 8 doubles.
 * usage: rma BATCHES ITERATIONS
 * Prints the median over batches of the time per operation (us) of:
 *   put-flush-8  MPI_Put of 8 bytes + MPI_Win_flush, inside one lock_all epoch
 *   get-flush-8  MPI_Get of 8 bytes + MPI_Win_flush, likewise
 *   put-fence-8  MPI_Put of 8 bytes + MPI_Win_fence (both ranks fence) */
#include "bench.h"

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int batches = (int)arg_long(argc, argv, 1, 5);
  long iters = arg_long(argc, argv, 2, 10000);
  double *base;
  MPI_Win win;
  MPI_Win_allocate(8 * sizeof(double), sizeof(double), MPI_INFO_NULL, MPI_COMM_WORLD, &base, &win);
  double value = 1, *t = malloc(sizeof(double) * batches);
  const char *keys[3] = {"put-flush-8", "get-flush-8", "put-fence-8"};
  for (int k = 0; k < 3; k++) {
    for (int b = -1; b < batches; b++) { /* batch -1 warms up */
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = now_us();
      if (k < 2) {
        if (rank == 0) {
          MPI_Win_lock_all(0, win);
          for (long i = 0; i < iters; i++) {
            if (k == 0) MPI_Put(&value, 1, MPI_DOUBLE, 1, 0, 1, MPI_DOUBLE, win);
            else MPI_Get(&value, 1, MPI_DOUBLE, 1, 0, 1, MPI_DOUBLE, win);
            MPI_Win_flush(1, win);
          }
          MPI_Win_unlock_all(win);
        }
      } else {
        MPI_Win_fence(0, win);
        for (long i = 0; i < iters; i++) {
          if (rank == 0) MPI_Put(&value, 1, MPI_DOUBLE, 1, 0, 1, MPI_DOUBLE, win);
          MPI_Win_fence(0, win);
        }
      }
      if (b >= 0) t[b] = (now_us() - t0) / iters;
    }
    result_add(keys[k], median(t, batches));
  }
  if (rank == 0) result_print();
  free(t);
  MPI_Win_free(&win);
  MPI_Finalize();
  return 0;
}
