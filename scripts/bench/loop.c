/* C baseline for the event loop: ranks > 0 loop on MPI_Bcast of a 16-byte
 * command and run it; rank 0 drives. This is the floor an event loop over MPI
 * can reach on this machine.
 * usage: loop noop CALLS BATCHES [MS]   -> noop (a stream of command broadcasts
 *                                           ended by one broadcast + barrier),
 *                                           noop-sync (broadcast + barrier per call)
 *        loop gather CALLS BATCHES [MS] -> gather (broadcast + MPI_Gather of an int)
 *        loop array BATCHES BYTES:CALLS...  -> array-BYTES (broadcast + MPI_Bcast of BYTES)
 *        loop idle MS                   -> idle-cpu, first-call, hot-call
 *        loop memory WARMUP CALLS       -> rss-start-rK, drift-rK (MB)
 * Times are rank 0's microseconds per call, medians over batches. noop and
 * gather take a time budget per batch in ms as a last argument: a batch then
 * has fewer calls when they would take longer (a first run of 50 times them). */
#include "bench.h"

enum { QUIT, NOOP, SYNC, GATHER, ARRAY, IDLE_START, IDLE_END, IDLE_REPORT, RSS };
typedef struct { long op; long n; } command;

static int rank, size;
static char *array;
static long array_size;
static double idle_cpu0, idle_wall0, idle_percent;

static void ensure_array(long n) {
  if (n > array_size) {
    free(array);
    array = malloc(n);
    memset(array, 1, n);
    array_size = n;
  }
}

/* Runs one command on this rank (rank 0 included). */
static void run(command c) {
  switch (c.op) {
    case NOOP: break;
    case SYNC: MPI_Barrier(MPI_COMM_WORLD); break;
    case GATHER: {
      int *all = rank == 0 ? malloc(sizeof(int) * size) : NULL;
      MPI_Gather(&rank, 1, MPI_INT, all, 1, MPI_INT, 0, MPI_COMM_WORLD);
      free(all);
      break;
    }
    case ARRAY: ensure_array(c.n); MPI_Bcast(array, (int)c.n, MPI_BYTE, 0, MPI_COMM_WORLD); break;
    case IDLE_START: idle_cpu0 = cpu_seconds(); idle_wall0 = wall_seconds(); break;
    case IDLE_END:
      idle_percent = 100 * (cpu_seconds() - idle_cpu0) / (wall_seconds() - idle_wall0);
      MPI_Barrier(MPI_COMM_WORLD);
      break;
    case IDLE_REPORT: case RSS: break;
  }
}

static void call(long op, long n) {
  command c = { op, n };
  MPI_Bcast(&c, sizeof c, MPI_BYTE, 0, MPI_COMM_WORLD);
  run(c);
}

/* Gathers one double per rank to rank 0. */
static double *gather_double(double v) {
  double *all = rank == 0 ? malloc(sizeof(double) * size) : NULL;
  MPI_Gather(&v, 1, MPI_DOUBLE, all, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return all;
}

static void event_loop(void) {
  for (;;) {
    command c;
    MPI_Bcast(&c, sizeof c, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (c.op == QUIT) return;
    run(c);
    if (c.op == IDLE_REPORT) gather_double(idle_percent);
    if (c.op == RSS) gather_double(rss_bytes());
  }
}

static double *rss_all(void) {
  call(RSS, 0);
  return gather_double(rss_bytes());
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (rank != 0) {
    event_loop();
    MPI_Finalize();
    return 0;
  }
  const char *mode = argc > 1 ? argv[1] : "noop";
  if (!strcmp(mode, "noop") || !strcmp(mode, "gather")) {
    long calls = arg_long(argc, argv, 2, 10000);
    int batches = (int)arg_long(argc, argv, 3, 5);
    double budget_ms = (double)arg_long(argc, argv, 4, 0);
    int gather = !strcmp(mode, "gather");
    double *t = malloc(sizeof(double) * batches), *ts = malloc(sizeof(double) * batches);
    long probe = calls < 50 ? calls : 50;
    call(SYNC, 0);
    double p0 = now_us();
    for (long i = 0; i < probe; i++) call(gather ? GATHER : NOOP, 0);
    call(SYNC, 0);
    calls = iters_within(calls, probe, now_us() - p0, budget_ms);
    for (int b = -1; b < batches; b++) {
      call(SYNC, 0);
      double t0 = now_us();
      for (long i = 0; i < calls; i++) call(gather ? GATHER : NOOP, 0);
      call(SYNC, 0);
      if (b >= 0) t[b] = (now_us() - t0) / calls;
      if (gather) continue;
      t0 = now_us();
      for (long i = 0; i < calls; i++) call(SYNC, 0);
      if (b >= 0) ts[b] = (now_us() - t0) / calls;
    }
    result_add(gather ? "gather" : "noop", median(t, batches));
    if (!gather) result_add("noop-sync", median(ts, batches));
  } else if (!strcmp(mode, "array")) {
    int batches = (int)arg_long(argc, argv, 2, 5);
    double *t = malloc(sizeof(double) * batches);
    for (int a = 3; a < argc; a++) {
      long bytes = 0, calls = 0;
      if (sscanf(argv[a], "%ld:%ld", &bytes, &calls) != 2) MPI_Abort(MPI_COMM_WORLD, 2);
      for (int b = -1; b < batches; b++) {
        call(SYNC, 0);
        double t0 = now_us();
        for (long i = 0; i < calls; i++) call(ARRAY, bytes);
        call(SYNC, 0);
        if (b >= 0) t[b] = (now_us() - t0) / calls;
      }
      char key[64];
      snprintf(key, sizeof key, "array-%ld", bytes);
      result_add(key, median(t, batches));
    }
  } else if (!strcmp(mode, "idle")) {
    long ms = arg_long(argc, argv, 2, 5000);
    call(SYNC, 0);
    call(IDLE_START, 0);
    usleep(ms * 1000);
    double t0 = now_us();
    call(IDLE_END, 0);
    result_add("first-call", now_us() - t0);
    t0 = now_us();
    call(SYNC, 0);
    result_add("hot-call", now_us() - t0);
    call(IDLE_REPORT, 0);
    double *p = gather_double(0), worst = 0;
    for (int r = 1; r < size; r++) if (p[r] > worst) worst = p[r];
    result_add("idle-cpu", worst);
  } else if (!strcmp(mode, "memory")) {
    long warmup = arg_long(argc, argv, 2, 1000), calls = arg_long(argc, argv, 3, 100000);
    double *start = rss_all();
    for (long i = 0; i < warmup; i++) call(NOOP, 0);
    double *base = rss_all();
    for (long i = 0; i < calls; i++) call(NOOP, 0);
    double *end = rss_all();
    for (int r = 0; r < size; r++) {
      char key[64];
      snprintf(key, sizeof key, "rss-start-r%d", r);
      result_add(key, start[r] / 1e6);
      snprintf(key, sizeof key, "drift-r%d", r);
      result_add(key, (end[r] - base[r]) / 1e6);
    }
  } else {
    fprintf(stderr, "loop: unknown mode %s\n", mode);
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  call(QUIT, 0);
  result_print();
  MPI_Finalize();
  return 0;
}
