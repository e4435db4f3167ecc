/* Shared helpers of the C baselines: timing, medians, the result line. */
#ifndef MPI_LOOP_BENCH_H
#define MPI_LOOP_BENCH_H
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double now_us(void) { return MPI_Wtime() * 1e6; }

static inline double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline double wall_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Resident set size in bytes, from /proc/self/statm. */
static inline double rss_bytes(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

static inline int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static inline double median(double *v, int n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The result line: BENCH-RESULT {"key":value,...}, built with result_add. */
static char result_line[16384] = "";
static inline void result_add(const char *key, double value) {
  size_t len = strlen(result_line);
  snprintf(result_line + len, sizeof result_line - len, "%s\"%s\":%.6g", len ? "," : "", key, value);
}
static inline void result_print(void) {
  printf("BENCH-RESULT {%s}\n", result_line);
  fflush(stdout);
}

/* Iterations of a batch: `iters`, or fewer when a batch would outlast
 * budget_ms, from `probe` iterations that took `elapsed_us` (ranks that
 * busy-poll for a core, as MPICH's do, take milliseconds a call). A budget of
 * 0 or less keeps `iters`. */
static inline long iters_within(long iters, long probe, double elapsed_us, double budget_ms) {
  if (budget_ms <= 0 || probe <= 0) return iters;
  double per_us = elapsed_us / probe;
  long fit = per_us > 0 ? (long)(budget_ms * 1e3 / per_us) : iters;
  if (fit > iters) fit = iters;
  return fit < probe ? probe : fit;
}

static inline long arg_long(int argc, char **argv, int i, long fallback) {
  return argc > i ? atol(argv[i]) : fallback;
}
#endif
