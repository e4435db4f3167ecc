/* C baseline: a 1 MiB MPI_Iallreduce (MPI_DOUBLE, MPI_SUM) overlapped with
 * computation, against MPI_Allreduce followed by the same computation.
 * usage: overlap BATCHES ITERATIONS CHUNKS
 * The computation is CHUNKS passes of y = 0.999 y + x over 65536 doubles,
 * with an MPI_Test between passes (progress for the nonblocking form).
 * Prints the median over batches of the time per iteration (us) of each. */
#include "bench.h"

#define N (1 << 17)
#define WORK (1 << 16)

static double x[WORK], y[WORK];

static void pass(void) {
  for (int i = 0; i < WORK; i++) y[i] = 0.999 * y[i] + x[i];
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int batches = (int)arg_long(argc, argv, 1, 5);
  long iters = arg_long(argc, argv, 2, 20);
  int chunks = (int)arg_long(argc, argv, 3, 16);
  double *in = malloc(sizeof(double) * N), *out = malloc(sizeof(double) * N);
  for (long i = 0; i < N; i++) in[i] = rank + i;
  for (int i = 0; i < WORK; i++) x[i] = i * 1e-6;
  double *tb = malloc(sizeof(double) * batches), *tn = malloc(sizeof(double) * batches);
  for (int b = -1; b < batches; b++) {
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = now_us();
    for (long it = 0; it < iters; it++) {
      MPI_Allreduce(in, out, N, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
      for (int c = 0; c < chunks; c++) pass();
    }
    if (b >= 0) tb[b] = (now_us() - t0) / iters;
    MPI_Barrier(MPI_COMM_WORLD);
    t0 = now_us();
    for (long it = 0; it < iters; it++) {
      MPI_Request req;
      int done = 0;
      MPI_Iallreduce(in, out, N, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD, &req);
      for (int c = 0; c < chunks; c++) {
        pass();
        if (!done) MPI_Test(&req, &done, MPI_STATUS_IGNORE);
      }
      if (!done) MPI_Wait(&req, MPI_STATUS_IGNORE);
    }
    if (b >= 0) tn[b] = (now_us() - t0) / iters;
  }
  result_add("overlap-blocking", median(tb, batches));
  result_add("overlap-nonblocking", median(tn, batches));
  if (rank == 0) result_print();
  free(in); free(out); free(tb); free(tn);
  MPI_Finalize();
  return 0;
}
