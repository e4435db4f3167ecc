// Tests that start many processes run after the rest, one file at a time, so
// that they do not share the machine with the suite's others: the benchmark
// suite's (real MPI jobs it times) and the 64-rank ones (which would slow
// every job started beside them past its timeout on a 2-core machine).
export default {
  files: ['test/bench*.test.mjs', 'test/many-ranks.test.mjs'],
  timeout: '120s',
  concurrency: 1,
  workerThreads: false,
};
