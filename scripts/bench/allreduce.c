/* C baseline: MPI_Allreduce (MPI_DOUBLE, MPI_SUM).
 * usage: allreduce BATCHES BYTES:ITERATIONS...
 * Prints for each size the median over batches of the time per operation (us). */
#include "bench.h"

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int batches = (int)arg_long(argc, argv, 1, 5);
  for (int a = 2; a < argc; a++) {
    long bytes = 0, iters = 0;
    if (sscanf(argv[a], "%ld:%ld", &bytes, &iters) != 2) MPI_Abort(MPI_COMM_WORLD, 2);
    long n = bytes / 8;
    double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
    for (long i = 0; i < n; i++) in[i] = rank + i;
    double *t = malloc(sizeof(double) * batches);
    for (int b = -1; b < batches; b++) {
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = now_us();
      for (long i = 0; i < iters; i++) MPI_Allreduce(in, out, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
      if (b >= 0) t[b] = (now_us() - t0) / iters;
    }
    char key[64];
    snprintf(key, sizeof key, "allreduce-%ld", bytes);
    result_add(key, median(t, batches));
    free(t); free(in); free(out);
  }
  if (rank == 0) result_print();
  MPI_Finalize();
  return 0;
}
