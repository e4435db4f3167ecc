// Runs benchmarks: every round runs each launch of a benchmark in turn
// (mpi-loop, C, Python, alternating, the order reversed every other round),
// then each metric takes the median over rounds and its ratio to each baseline.
import fs from 'node:fs';
import path from 'node:path';
import { buildC, type PythonInfo } from './baselines';
import { commandOf, runLaunch, shellText, type Tools } from './launch';
import type { StatusLine } from '../util/status-line';
import { median } from './runtime';
import { IMPLS } from './types';
import type {
  Benchmark,
  BenchmarkResult,
  Figures,
  Impl,
  Metric,
  MetricResult,
  Options,
  TargetResult,
  ValueResult,
} from './types';

export interface RunSettings {
  options: Options;
  rounds: number;
  tools: Tools;
  /** Implementations that cannot run, with the reason (shown in the results). */
  skip: Partial<Record<Impl, string>>;
  progress: StatusLine;
  /** Position of this benchmark in the run, for the progress line. */
  position: [number, number];
}

/** Generous: a launch takes seconds; the machine may be shared. */
const timeoutFor = (o: Options, ranks: number): number => (o.quick ? 60_000 : 180_000) * Math.max(1, ranks / 4);

export async function runBenchmark(b: Benchmark, s: RunSettings): Promise<BenchmarkResult> {
  const started = Date.now();
  const launches = b.launches(s.options).filter((l) => !s.skip[l.impl]);
  const perRound: Array<Record<Impl, Figures>> = [];
  const failures: string[] = [];
  const commands = launches.map((l) => shellText(commandOf(b.name, l, s.tools)));
  for (let r = 0; r < s.rounds; r++) {
    const figures: Record<Impl, Figures> = { 'mpi-loop': {}, c: {}, python: {} };
    const order = r % 2 === 0 ? launches : [...launches].reverse();
    for (const [i, l] of order.entries()) {
      s.progress.update(
        `[${s.position[0]}/${s.position[1]}] ${b.name}: round ${r + 1}/${s.rounds}, ` +
          `launch ${i + 1}/${order.length}: ${l.impl} at ${l.ranks} ranks`,
      );
      const argv = commandOf(b.name, l, s.tools);
      // The C programs are rebuilt if something removed them since the start.
      if (l.impl === 'c' && !fs.existsSync(path.join(s.tools.cDir, (l.args as string[])[0]))) await buildC();
      try {
        const got = await runLaunch(argv, timeoutFor(s.options, l.ranks), l.output);
        const all = { ...got, ...(b.derive?.(got) ?? {}) };
        for (const [k, v] of Object.entries(all)) figures[l.impl][`${l.prefix ?? ''}${k}`] = v;
      } catch (e) {
        failures.push(
          `round ${r + 1}, ${l.impl} at ${l.ranks} ranks: ${(e as Error).message}\n  command: ${shellText(argv)}`,
        );
      }
    }
    if (b.combine) for (const impl of IMPLS) Object.assign(figures[impl], b.combine(figures[impl], s.options));
    perRound.push(figures);
  }
  const skipped: Record<string, string> = {};
  // Only the implementations this benchmark has (cg and futures have no C baseline).
  const has = new Set(b.launches(s.options).map((l) => l.impl));
  for (const [impl, why] of Object.entries(s.skip)) if (why && has.has(impl as Impl)) skipped[impl] = why;
  const metrics = b.metrics(s.options).map((m) => summarise(m, perRound, skipped));
  return {
    name: b.name,
    title: b.title,
    method: b.method,
    metrics,
    skipped,
    failures,
    commands,
    seconds: (Date.now() - started) / 1000,
  };
}

function valueOf(perRound: Array<Record<Impl, Figures>>, impl: Impl, key: string): ValueResult | undefined {
  const samples = perRound.map((f) => f[impl][key]).filter((v): v is number => typeof v === 'number');
  if (samples.length === 0) return undefined;
  return { median: median([...samples]), samples };
}

function summarise(m: Metric, perRound: Array<Record<Impl, Figures>>, skipped: Record<string, string>): MetricResult {
  const values: Record<string, ValueResult> = {};
  const labels: Record<string, string> = { 'mpi-loop': 'mpi-loop' };
  const impls: Record<string, Impl> = { 'mpi-loop': 'mpi-loop' };
  const ratios: Record<string, number> = {};
  const ours = valueOf(perRound, 'mpi-loop', m.key);
  if (ours) values['mpi-loop'] = ours;
  for (const c of m.baselines) {
    labels[c.id] = c.label;
    impls[c.id] = c.impl;
    const v = valueOf(perRound, c.impl, c.key);
    if (!v) continue;
    values[c.id] = v;
    if (ours && v.median !== 0) ratios[c.id] = ours.median / v.median;
  }
  const targets = (m.targets ?? []).map((t): TargetResult => {
    const figure = t.against ? (ratios[t.against] ?? null) : (ours?.median ?? null);
    if (figure === null)
      return { ...t, met: null, figure, reason: unevaluated(t.against ? impls[t.against] : 'mpi-loop', skipped) };
    const met =
      (t.maxRatio === undefined || figure <= t.maxRatio) &&
      (t.minRatio === undefined || figure >= t.minRatio) &&
      (t.maxValue === undefined || figure <= t.maxValue);
    return { ...t, met, figure };
  });
  return {
    id: m.id,
    label: m.label,
    unit: m.unit,
    better: m.better,
    sign: m.sign ?? 'positive',
    values,
    labels,
    impls,
    ratios,
    targets,
    ...(m.chart ? { chart: m.chart } : {}),
  };
}

/** Why a target has no figure: the baseline it needs was skipped (and why), or a launch gave none. */
function unevaluated(impl: Impl | undefined, skipped: Record<string, string>): string {
  if (impl && skipped[impl]) return `the ${impl} baseline is missing: ${skipped[impl]}`;
  return `no ${impl ?? 'baseline'} figure was measured (see the failed launches)`;
}

/** The skips for one benchmark: also its Python baseline when that needs NumPy and NumPy is missing. */
export function skipsForBenchmark(
  b: Benchmark,
  skip: Partial<Record<Impl, string>>,
  py: PythonInfo,
): Partial<Record<Impl, string>> {
  if (!b.pythonNeedsNumpy || skip.python || py.numpy) return skip;
  return {
    ...skip,
    python: `numpy is not importable by ${py.path} (install python3-numpy: apt-get install -y python3-numpy)`,
  };
}

/** Skips of the baselines that cannot run. */
export function skipsFor(c: { ok: boolean; reason?: string }, py: PythonInfo): Partial<Record<Impl, string>> {
  const skip: Partial<Record<Impl, string>> = {};
  if (!c.ok) skip.c = c.reason;
  if (!py.availability.ok) skip.python = py.availability.reason;
  return skip;
}
