// CG iterations per second: this solver (examples/solver, driven from rank 0
// through mpi-loop/parallel proxies) against the same algorithm in Python
// with mpi4py and NumPy in pyMOR's style (scripts/bench/cg_mpi4py.py).
//   node examples/solver/bench.mjs [--ranks 2,4] [--n 64,256] [--repeat R] [--trials T]
// Prints one JSON line per (ranks, n): {ranks, n, itersPerSecond, python: {...}}.
// Each trial runs both programs back to back (alternating which goes first);
// the rates reported are the medians over the trials, and the best run of
// each (the machine is shared, so the spread can be wide).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const isRoot = process.getuid?.() === 0;

function run(command, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, OMPI_MCA_rmaps_base_oversubscribe: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '',
      err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${err || out}`));
      else resolve(JSON.parse(line));
    });
  });
}

const mpirun = (ranks) => ['-n', String(ranks), '--oversubscribe', ...(isRoot ? ['--allow-run-as-root'] : [])];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One (ranks, n) comparison: medians over `trials` runs of each program. */
export async function benchCG({ ranks, n, repeat = 10, trials = 3, python = '/usr/bin/python3', timeoutMs = 300_000 }) {
  const js = [],
    py = [];
  const runJs = () =>
    run(
      'mpirun',
      [
        ...mpirun(ranks),
        process.execPath,
        '-r',
        'mpi-loop/register',
        path.join(here, 'solve.mjs'),
        String(n),
        '--repeat',
        String(repeat),
        '--json',
      ],
      timeoutMs,
    ).then((r) => js.push(r));
  const runPy = () =>
    run(
      'mpirun',
      [
        ...mpirun(ranks),
        python,
        path.join(root, 'scripts', 'bench', 'cg_mpi4py.py'),
        String(n),
        '--repeat',
        String(repeat),
      ],
      timeoutMs,
    ).then((r) => py.push(r));
  for (let t = 0; t < trials; t++) {
    if (t % 2 === 0) {
      await runJs();
      await runPy();
    } else {
      await runPy();
      await runJs();
    }
  }
  const summary = (rs) => ({
    itersPerSecond: median(rs.map((r) => r.itersPerSecond)),
    best: Math.max(...rs.map((r) => r.itersPerSecond)), // the least disturbed run on a shared machine
    trials: rs.map((r) => Math.round(r.itersPerSecond)),
    iterations: rs[0].iterations,
    residual: rs[0].residual,
  });
  const mine = summary(js);
  return { ranks, n, ...mine, python: summary(py), ratio: mine.itersPerSecond / summary(py).itersPerSecond };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const list = (s) => s.split(',').map(Number);
  for (const ranks of list(option('--ranks', '2,4'))) {
    for (const n of list(option('--n', '64,256'))) {
      const result = await benchCG({
        ranks,
        n,
        repeat: Number(option('--repeat', '10')),
        trials: Number(option('--trials', '3')),
      });
      console.log(JSON.stringify(result));
    }
  }
}
