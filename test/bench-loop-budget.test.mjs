// The pingpong and event-loop benchmarks, and their C and Python baselines,
// keep each batch within its time budget: a count no launch could finish (a
// billion round trips or calls) is cut down to what fits, so a slow MPI
// (ranks busy-polling for a core) still reports every figure.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mpinode, mpirun, root, run } from './helpers/mpirun.mjs';

const rankMain = path.join(root, 'dist', 'bench', 'rank-main.js');
const register = path.join(root, 'dist', 'register.js');
const sources = path.join(root, 'scripts', 'bench');
const { findPython } = (await import(path.join(root, 'dist', 'bench', 'baselines.js'))).default;
const BILLION = '1000000000';
// Asked before any test is declared: ava takes declarations only synchronously.
const python = await findPython();
if (!python.availability.ok) console.log(`Python baselines not run: ${python.availability.reason}`);

/** The figures of a launch's BENCH-RESULT line, after checking it ended well. */
function figures(t, r) {
  t.false(r.timedOut, `the batches ran past their budget\n${r.stdout}\n${r.stderr}`);
  t.is(r.code, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
  t.truthy(line, r.stdout);
  return line ? JSON.parse(line.slice('BENCH-RESULT '.length)) : {};
}

function positive(t, got, keys) {
  t.deepEqual(Object.keys(got).sort(), [...keys].sort());
  for (const [k, v] of Object.entries(got)) t.true(Number.isFinite(v) && v > 0, `${k}: ${v}`);
}

test('pingpong: a billion round trips a batch under a 200 ms budget still ends, with its figure', async (t) => {
  t.timeout(110_000);
  const args = { iterations: 1e9, batches: 2, budgetMs: 200 };
  const r = await mpinode(2, [rankMain, 'pingpong', JSON.stringify(args)], { timeout: 100_000 });
  positive(t, figures(t, r), ['oneway-8']);
});

test('call-gather: a billion calls a batch under a 200 ms budget still end, with its figure', async (t) => {
  t.timeout(110_000);
  const args = { calls: 1e9, batches: 2, budgetMs: 200 };
  const r = await mpinode(2, ['-r', register, rankMain, 'call-gather', JSON.stringify(args)], { timeout: 100_000 });
  positive(t, figures(t, r), ['gather']);
});

const probe = spawnSync('mpicc', ['-show'], { encoding: 'utf8' });
const mpiccMissing =
  probe.error || probe.status !== 0 ? `mpicc could not run: ${probe.error?.message ?? probe.stderr}` : null;
if (mpiccMissing) console.log(`C baselines not run: ${mpiccMissing}`);

(mpiccMissing ? test.skip : test)(
  'C pingpong and event loop: a billion iterations a batch under a 200 ms budget still end',
  async (t) => {
    t.timeout(300_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-bench-c-'));
    try {
      for (const program of ['pingpong', 'loop']) {
        const built = await run('mpicc', ['-O2', '-o', path.join(dir, program), path.join(sources, `${program}.c`)], {
          timeout: 120_000,
        });
        t.is(built.code, 0, built.stderr);
      }
      const opts = { timeout: 100_000 };
      positive(t, figures(t, await mpirun(2, [path.join(dir, 'pingpong'), '2', 'budget=200', `8:${BILLION}`], opts)), [
        'oneway-8',
      ]);
      positive(t, figures(t, await mpirun(2, [path.join(dir, 'loop'), 'gather', BILLION, '2', '200'], opts)), [
        'gather',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);

(python.availability.ok ? test : test.skip)(
  'Python pingpong and pyMOR-style loop: a billion iterations a batch under a 200 ms budget still end',
  async (t) => {
    t.timeout(220_000);
    const opts = { timeout: 100_000, cwd: sources };
    const ping = await mpirun(2, [python.path, 'pingpong.py', 'buffer', '2', 'budget=200', `8:${BILLION}`], opts);
    positive(t, figures(t, ping), ['oneway-8']);
    const loop = await mpirun(2, [python.path, 'pymor_loop.py', 'gather', BILLION, '2', '200'], opts);
    positive(t, figures(t, loop), ['gather']);
  },
);
