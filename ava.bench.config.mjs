// The benchmark suite's own tests run after the rest, one file at a time, so
// that its real MPI jobs do not share the machine with the suite's others.
export default {
  files: ['test/bench*.test.mjs'],
  timeout: '120s',
  concurrency: 1,
  workerThreads: false,
};
