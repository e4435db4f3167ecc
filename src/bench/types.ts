// The shape of a benchmark, of what one launch reports, and of the results file.

/** The implementations a benchmark compares: ours and the two baselines. */
export type Impl = 'mpi-loop' | 'c' | 'python';
export const IMPLS: readonly Impl[] = ['mpi-loop', 'c', 'python'];

/** How the suite runs this time. */
export interface Options {
  quick: boolean;
  /** Rank counts for the scaling benchmark. */
  ranks: number[];
}

/** Figures one launch reports: key -> number (on rank 0's BENCH-RESULT line). */
export type Figures = Record<string, number>;

/** One mpirun job: an implementation at a rank count, with its arguments. */
export interface Launch {
  impl: Impl;
  ranks: number;
  /**
   * mpi-loop: the parameters passed to the benchmark's `measure` (JSON);
   * c: [program, ...args] (program built from scripts/bench/<program>.c);
   * python: [script, ...args] (scripts/bench/<script>).
   */
  args: string[] | Record<string, unknown>;
  /** mpi-loop: run under the event loop (node -r mpi-loop/register). */
  loop?: boolean;
  /**
   * Ranks not pinned to cores (mpirun --bind-to none), as under most
   * schedulers; by default Open MPI pins each rank to a core.
   */
  unpinned?: boolean;
  /** mpi-loop: extra node flags (e.g. --expose-gc). */
  nodeFlags?: string[];
  /** Prefix added to the keys of the figures this launch reports (e.g. "n4:"). */
  prefix?: string;
  /**
   * mpi-loop: run this script (relative to the package root) with `args` as
   * its string arguments, instead of rank-main and the benchmark's `measure`.
   */
  script?: string;
  /** python: run the script through `python -m MODULE` (e.g. mpi4py.futures). */
  pythonModule?: string;
  /**
   * How rank 0 reports: 'bench-result' (default) a "BENCH-RESULT {...}" line;
   * 'json' the last line that is a JSON object (the standalone bench scripts),
   * of which the numeric fields are the figures.
   */
  output?: 'bench-result' | 'json';
}

export type Unit = 'us' | 'MB/s' | '%' | 'MB' | 'it/s' | 'tasks/s' | 'x';
export type Sign = 'positive' | 'nonnegative' | 'any';

/** A baseline a metric is compared with: a figure of another implementation. */
export interface Comparison {
  /** Column id in the results: 'c', 'python', or a variant such as 'c-stream'. */
  id: string;
  impl: Exclude<Impl, 'mpi-loop'>;
  label: string;
  /** The figure key in that implementation's results. */
  key: string;
}

/** A stated goal: ours / baseline within [min, max], or an absolute bound on ours. */
export interface Target {
  text: string;
  /** Comparison id the ratio is taken against; absent for an absolute target. */
  against?: string;
  maxRatio?: number;
  minRatio?: number;
  maxValue?: number;
}

/**
 * A target as evaluated: `met` is null when there is no figure to judge it
 * by, and then `reason` says why (a baseline missing on this machine, ...).
 */
export interface TargetResult extends Target {
  met: boolean | null;
  figure: number | null;
  reason?: string;
}

export interface Metric {
  id: string;
  label: string;
  unit: Unit;
  better: 'lower' | 'higher';
  /** Which values are sane: 'positive' (default), 'nonnegative' (idle CPU), 'any' (memory drift). */
  sign?: Sign;
  /** mpi-loop's figure key. */
  key: string;
  baselines: Comparison[];
  targets?: Target[];
  /** Where the metric goes on the chart. */
  chart?: { series: 'ranks' | 'bandwidth'; x: number };
}

/** The rank-side entry of a benchmark: runs on every rank, returns figures on rank 0. */
export type Measure = (params: Record<string, unknown>) => Promise<Figures | undefined> | Figures | undefined;

export interface Benchmark {
  name: string;
  title: string;
  /** What is measured and how, for the results file. */
  method: string;
  /** The launches of one round, in the order they alternate. */
  launches(o: Options): Launch[];
  metrics(o: Options): Metric[];
  /** mpi-loop's side, run by rank-main under mpirun (absent when every launch runs a script). */
  measure?: Measure;
  /** The Python baseline needs NumPy: skipped with a note without it. */
  pythonNeedsNumpy?: boolean;
  /** Figures computed from a launch's figures (any implementation), e.g. bandwidth from time. */
  derive?(figures: Figures): Figures;
  /** Figures computed from all of one implementation's figures of a round (across its launches). */
  combine?(figures: Figures, o: Options): Figures;
}

// ---- the results file -------------------------------------------------------

export interface ValueResult {
  median: number;
  /** One figure per round. */
  samples: number[];
}

export interface MetricResult {
  id: string;
  label: string;
  unit: Unit;
  better: 'lower' | 'higher';
  sign: Sign;
  values: Record<string, ValueResult>;
  /** Column labels: 'mpi-loop', and each baseline's label. */
  labels: Record<string, string>;
  /** The implementation behind each column. */
  impls: Record<string, Impl>;
  /** mpi-loop's median divided by each baseline's median. */
  ratios: Record<string, number>;
  targets: TargetResult[];
  chart?: { series: 'ranks' | 'bandwidth'; x: number };
}

export interface BenchmarkResult {
  name: string;
  title: string;
  method: string;
  metrics: MetricResult[];
  /** Baselines not run, with the reason. */
  skipped: Record<string, string>;
  /** Launches that failed, with their error. */
  failures: string[];
  /** The commands of one round. */
  commands: string[];
  seconds: number;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  mpiLibrary: string;
  python: string | null;
  mpi4py: string | null;
  numpy: string | null;
  cc: string | null;
  /** os.loadavg() when the run started and ended: other work on the machine skews every figure. */
  loadAverage: { start: number[]; end: number[] };
}

export interface SuiteResult {
  schema: 1;
  date: string;
  command: string;
  mode: 'quick' | 'full';
  rounds: number;
  machine: Machine;
  method: string;
  /** Remarks on the run (a baseline degraded, ...). */
  notes: string[];
  benchmarks: BenchmarkResult[];
  seconds: number;
}
