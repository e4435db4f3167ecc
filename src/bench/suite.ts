// The whole suite: tools, machine, each benchmark in turn, the results.
import os from 'node:os';
import { buildC, findPython } from './baselines';
import { describeMachine } from './machine';
import { StatusLine } from '../util/status-line';
import { benchmarks, findBenchmark } from './registry';
import { runBenchmark, skipsFor, skipsForBenchmark } from './runner';
import type { Benchmark, Options, SuiteResult } from './types';

export interface SuiteSettings {
  names: string[];
  options: Options;
  rounds?: number;
  command: string;
  progress?: StatusLine;
}

export const SUITE_METHOD =
  'Every benchmark runs mpi-loop, a C baseline where there is one (scripts/bench/*.c, built ' +
  'with mpicc) and a ' +
  'Python baseline (scripts/bench/*.py, mpi4py) as separate mpirun jobs in the same invocation, alternating ' +
  '(the order reversed every other round), for several rounds. Each job reports the median of its batches; ' +
  "each figure is the median over rounds (every round's figure is kept in samples). A ratio is mpi-loop's " +
  "median divided by the baseline's.";

export async function runSuite(s: SuiteSettings): Promise<SuiteResult> {
  const started = Date.now();
  const chosen: Benchmark[] = s.names.length > 0 ? s.names.map(findBenchmark) : [...benchmarks];
  const progress = s.progress ?? new StatusLine();
  progress.update('bench: building the C baselines, probing Python');
  const [c, python] = await Promise.all([buildC(), findPython()]);
  const machine = await describeMachine(python, c.cc);
  const skip = skipsFor(c.availability.ok ? { ok: true } : c.availability, python);
  const notes: string[] = [];
  if (python.availability.ok && python.availability.note) notes.push(python.availability.note);
  const rounds = s.rounds ?? (s.options.quick ? 1 : 3);
  const results = [];
  for (const [i, b] of chosen.entries()) {
    const r = await runBenchmark(b, {
      options: s.options,
      rounds,
      tools: { cDir: c.dir, python: python.path },
      skip: skipsForBenchmark(b, skip, python),
      progress,
      position: [i + 1, chosen.length],
    });
    const failed = r.failures.length > 0 ? `, ${r.failures.length} launch(es) FAILED` : '';
    progress.done(`bench: ${b.name} done in ${r.seconds.toFixed(1)} s${failed}`);
    results.push(r);
  }
  progress.clear();
  machine.loadAverage.end = os.loadavg();
  return {
    schema: 1,
    date: new Date().toISOString(),
    command: s.command,
    mode: s.options.quick ? 'quick' : 'full',
    rounds,
    machine,
    method: SUITE_METHOD,
    notes,
    benchmarks: results,
    seconds: (Date.now() - started) / 1000,
  };
}
