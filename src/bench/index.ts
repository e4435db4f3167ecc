// The benchmark suite (`mpi-loop bench`): definitions, runner and reports.
export { benchmarks, findBenchmark } from './registry';
export { runSuite, type SuiteSettings } from './suite';
export { terminalTable } from './report/table';
export { markdownTable } from './report/markdown';
export { chartSvg } from './report/chart';
export type * from './types';
