// The benchmark suite's quick mode, run for real: its results file must have
// every figure, finite and of the right sign, each baseline either measured
// or skipped with a note, and the Markdown table and SVG chart beside it.
// Speeds are never asserted here.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, run } from './helpers/mpirun.mjs';

const main = path.join(root, 'dist', 'cli', 'main.js');
const direct = path.join(root, 'dist', 'cli', 'commands', 'bench.js');

/** `mpi-loop bench ...` through the CLI when it exists, else the command module itself. */
function bench(args, env = {}) {
  const entry = fs.existsSync(main) ? [main, 'bench'] : [direct];
  return run(process.execPath, [...entry, ...args], { env, timeout: 280_000 });
}

const tmp = (name) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-bench-')), name);

function saneFigure(t, v, sign, label) {
  t.true(typeof v === 'number' && Number.isFinite(v), `${label}: ${v} is not a finite number`);
  if (sign === 'positive') t.true(v > 0, `${label}: ${v} should be positive`);
  if (sign === 'nonnegative') t.true(v >= 0, `${label}: ${v} should not be negative`);
}

function checkResults(t, result, expectedNames) {
  t.is(result.schema, 1);
  t.is(result.mode, 'quick');
  const m = result.machine;
  t.true(m.cpuModel.length > 0 && m.cores > 0 && m.memoryBytes > 0, JSON.stringify(m));
  t.is(m.loadAverage.start.length, 3);
  t.is(m.loadAverage.end.length, 3);
  t.regex(m.node, /^v\d+/);
  t.true(m.mpiLibrary.length > 0 && m.mpiLibrary !== 'unknown', m.mpiLibrary);
  t.true(result.method.length > 0);
  t.deepEqual(
    result.benchmarks.map((b) => b.name),
    expectedNames,
  );
  for (const b of result.benchmarks) {
    t.deepEqual(b.failures, [], `${b.name}: failed launches`);
    t.true(b.method.length > 20, `${b.name}: method described`);
    t.true(b.commands.length > 0, `${b.name}: commands recorded`);
    t.true(b.metrics.length > 0, `${b.name}: has metrics`);
    for (const metric of b.metrics) {
      const label = `${b.name}/${metric.id}`;
      for (const [id, impl] of Object.entries(metric.impls)) {
        const value = metric.values[id];
        if (b.skipped[impl] !== undefined) {
          t.true(
            typeof b.skipped[impl] === 'string' && b.skipped[impl].length > 10,
            `${label}: ${impl} skipped without a note`,
          );
          t.is(value, undefined, `${label}: ${impl} skipped yet measured`);
          continue;
        }
        t.truthy(value, `${label}: ${id} missing`);
        if (!value) continue;
        saneFigure(t, value.median, metric.sign, `${label} ${id}`);
        t.true(value.samples.length === result.rounds, `${label} ${id}: one sample per round`);
        for (const s of value.samples) saneFigure(t, s, metric.sign, `${label} ${id} sample`);
        if (id !== 'mpi-loop' && metric.sign === 'positive')
          saneFigure(t, metric.ratios[id], 'positive', `${label} ratio to ${id}`);
      }
      t.truthy(metric.values['mpi-loop'], `${label}: mpi-loop measured`);
      for (const target of metric.targets) {
        if (target.met !== null) {
          t.true(typeof target.met === 'boolean', `${label}: target "${target.text}" evaluated`);
          continue;
        }
        // Unjudged only when the report says its baseline is missing, and why.
        const impl = target.against ? metric.impls[target.against] : undefined;
        t.truthy(
          impl && b.skipped[impl],
          `${label}: target "${target.text}" not evaluated, yet no baseline is reported missing`,
        );
        t.is(target.figure, null);
        if (impl) t.is(target.reason, `the ${impl} baseline is missing: ${b.skipped[impl]}`);
      }
    }
  }
}

// The quick suite in four parts (each well inside ava's timeout on a busy
// machine); together they cover every benchmark of the registry.
const parts = [
  ['pingpong', 'object-pingpong', 'bandwidth', 'allreduce', 'nonblocking-overlap'],
  ['call-noop', 'call-gather', 'call-array', 'idle'],
  ['call-ranks', 'memory', 'value-collectives'],
  ['cg', 'futures', 'rma'],
];

test('the parts cover every benchmark', async (t) => {
  const r = await bench(['--list']);
  t.is(r.code, 0, r.stderr);
  const listed = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/)[0]);
  t.deepEqual([...parts.flat()].sort(), [...listed].sort());
});

for (const names of parts) {
  test.serial(
    `bench --quick ${names.join(' ')}: every figure, the baselines, a Markdown table and a chart`,
    async (t) => {
      t.timeout(300_000);
      const json = tmp('results.json');
      const r = await bench([...names, '--quick', '--json', json]);
      t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const result = JSON.parse(fs.readFileSync(json, 'utf8'));
      checkResults(t, result, names);
      t.regex(r.stdout, new RegExp(`^${names[0]} `, 'm'), 'the table on the terminal');
      const md = fs.readFileSync(json.replace(/\.json$/, '.md'), 'utf8');
      t.regex(md, /^\| benchmark \| metric \|/m);
      t.regex(md, /mpi-loop bench .*--quick/);
      const svg = fs.readFileSync(json.replace(/\.json$/, '.svg'), 'utf8');
      t.regex(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      if (names.includes('call-ranks')) {
        // Every rank count measured, and drawn.
        const metrics = result.benchmarks.find((b) => b.name === 'call-ranks').metrics;
        t.deepEqual(
          metrics.filter((m) => m.chart).map((m) => m.chart.x),
          [2, 4, 8, 16],
        );
        // Rank 0's CPU per call beside the time, at every rank count.
        for (const n of [2, 4, 8, 16]) {
          const cpu = metrics.find((m) => m.id === `call-noop-cpu-${n}-ranks`);
          t.true(cpu?.values['mpi-loop']?.median > 0, `rank 0's CPU at ${n} ranks`);
        }
        t.true((svg.match(/<path d="M/g) ?? []).length >= 2, 'the chart has lines');
      }
      if (names.includes('bandwidth')) t.true((svg.match(/<path d="M/g) ?? []).length >= 2, 'the chart has lines');
    },
  );
}

test.serial(
  'a Python without mpi4py skips the Python baselines with a note, and leaves their targets unjudged',
  async (t) => {
    t.timeout(120_000);
    const json = tmp('no-python.json');
    const r = await bench(['object-pingpong', '--quick', '--json', json], {
      MPI_LOOP_BENCH_PYTHON: '/nonexistent/python3',
    });
    t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(fs.readFileSync(json, 'utf8'));
    checkResults(t, result, ['object-pingpong']);
    const b = result.benchmarks[0];
    t.regex(b.skipped.python, /\/nonexistent\/python3/);
    t.is(b.metrics[0].values.python, undefined);
    t.truthy(b.metrics[0].values.c);
    const targets = b.metrics.flatMap((m) => m.targets);
    const python = targets.filter((x) => x.against === 'python');
    t.true(python.length > 0, 'object-pingpong has targets against the Python baseline');
    for (const x of python) {
      t.is(x.met, null);
      t.regex(x.reason, /^the python baseline is missing: .*\/nonexistent\/python3/);
    }
    t.true(
      targets.filter((x) => x.against === 'c').every((x) => typeof x.met === 'boolean'),
      'C targets judged',
    );
    t.regex(r.stdout, /python skipped/);
  },
);
