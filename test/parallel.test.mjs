// mpi-loop/parallel under real mpirun: WorkerPool and distribute() at 1, 2
// and 4 ranks, and the distributed CG solver of
// examples/solver (residual, agreement across rank counts).
import path from 'node:path';
import test from 'ava';
import { fixture, mpinode, root, tagged } from './helpers/mpirun.mjs';

const register = ['-r', 'mpi-loop/register'];
const parallelFixture = (name) => fixture(path.join('parallel', name));

function okNames(t, r) {
  t.false(r.timedOut, `timed out\n${r.stdout}\n${r.stderr}`);
  t.deepEqual(tagged(r.stdout, 'BAD '), [], r.stderr);
  t.is(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return new Set(tagged(r.stdout, 'OK ').map((l) => l.split(' ')[0]));
}

const poolChecks = [
  'size',
  'apply',
  'apply-two-args',
  'apply-async',
  'apply-collective',
  'apply-by-source',
  'applyOnly-0',
  'applyOnly-async',
  'applyOnly-range',
  'map',
  'map-zip',
  'map-empty',
  'map-iterable',
  'map-async',
  'map-spread',
  'push-apply',
  'push-applyOnly',
  'push-map',
  'push-alive',
  'push-freed',
  'pool-dispose-frees',
  'apply-error',
  'usable-after-error',
  'applyOnly-error',
  'map-error',
  'unsendable-result',
  'queued',
];

for (const n of [1, 2, 4]) {
  test(`WorkerPool: every method at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [...register, parallelFixture('pool.mjs')], { timeout: 120_000 });
    const ok = okNames(t, r);
    const expected = [...poolChecks, ...Array.from({ length: n }, (_, k) => `applyOnly-${k}`)];
    if (n > 2) expected.push('many-errors-first', 'many-errors');
    for (const name of expected) t.true(ok.has(name), `missing OK ${name}\n${r.stdout}\n${r.stderr}`);
    t.true(r.stdout.includes('END true'));
    // the error names the rank, the function and (for map) the item
    const [applyError] = tagged(r.stdout, 'OK apply-error ');
    t.is(applyError, `rank ${n - 1}: TypeError: bad rank ${n - 1} [in apply(failOn)]`);
    const [mapError] = tagged(r.stdout, 'OK map-error ');
    t.regex(mapError, /^rank \d: RangeError: item value 5 \[in map\(failOnItem\), item 5\]$/);
    // pushed objects were freed by their handles and by the pool's dispose
    t.false(r.stderr.includes('MPI_LOOP_OBJECTS_LEFT'), r.stderr);
  });
}

const proxyChecks = [
  'id-is-objectid',
  'constructed-everywhere',
  'method-rank0-result',
  'method-runs-everywhere',
  'method-args',
  'method-collective',
  'method-async',
  'not-thenable',
  'manage-proxy',
  'manage-everywhere',
  'proxy-as-argument',
  'proxy-as-constructor-argument',
  'proxyFor',
  'disposed-everywhere',
  'other-alive',
  'disposed-call',
  'method-error',
  'usable-after-error',
  'queued-in-order',
  'dispose-frees',
];

for (const n of [1, 2, 4]) {
  test(`distribute: every proxy feature at ${n} rank(s)`, async (t) => {
    const r = await mpinode(n, [...register, parallelFixture('distribute.mjs')], { timeout: 120_000 });
    const ok = okNames(t, r);
    const expected = n > 1 ? [...proxyChecks, 'worker-error'] : proxyChecks;
    for (const name of expected) t.true(ok.has(name), `missing OK ${name}\n${r.stdout}\n${r.stderr}`);
    // every object was disposed: quit() found nothing left to warn about
    t.false(r.stderr.includes('MPI_LOOP_OBJECTS_LEFT'), r.stderr);
  });
}

// ---- the solver -----------------------------------------------------------------

const solve = path.join(root, 'examples', 'solver', 'solve.mjs');

async function solveAt(t, n, size) {
  const r = await mpinode(n, [...register, solve, String(size), '--json', '--solution'], { timeout: 120_000 });
  t.false(r.timedOut, 'the solve hung');
  t.is(r.code, 0, r.stderr);
  t.false(r.stderr.includes('MPI_LOOP_OBJECTS_LEFT'), `the solver left objects behind\n${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  t.truthy(line, r.stdout);
  return JSON.parse(line);
}

test('solver: CG converges at 1, 2 and 4 ranks and the solutions agree with the serial one', async (t) => {
  const size = 24;
  const serial = await solveAt(t, 1, size);
  t.is(serial.ranks, 1);
  t.is(serial.solution.length, size * size);
  for (const n of [1, 2, 4]) {
    const run = n === 1 ? serial : await solveAt(t, n, size);
    t.is(run.ranks, n);
    t.true(run.residual < 1e-8, `recurrence residual ${run.residual} at ${n} ranks`);
    t.true(run.trueResidual < 1e-8, `true residual ${run.trueResidual} at ${n} ranks`);
    // b = A u for a known u, so the solve must give back u
    t.true(run.error < 1e-8, `error ${run.error} at ${n} ranks`);
    t.true(Math.abs(run.iterations - serial.iterations) <= 1, `${run.iterations} vs ${serial.iterations} iterations`);
    const scale = Math.max(...serial.solution.map(Math.abs));
    const diff = Math.max(...run.solution.map((v, i) => Math.abs(v - serial.solution[i])));
    t.true(diff <= 1e-9 * scale, `max difference ${diff} from the serial solution at ${n} ranks`);
  }
});

test('solver: a grid size not divisible by the rank count (uneven row blocks)', async (t) => {
  const serial = await solveAt(t, 1, 19);
  const run = await solveAt(t, 4, 19);
  t.true(run.trueResidual < 1e-8);
  const diff = Math.max(...run.solution.map((v, i) => Math.abs(v - serial.solution[i])));
  t.true(diff < 1e-9, `max difference ${diff}`);
});

test('solver: `mpi-loop run -n 4` runs the script and prints iterations, residual and time', async (t) => {
  const { run } = await import('./helpers/mpirun.mjs');
  const r = await run(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), 'run', '-n', '4', solve, '32'], {
    timeout: 120_000,
  });
  t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  t.regex(r.stdout, /Poisson 32x32 on 4 rank\(s\): \d+ CG iterations, relative residual \d\.\d\de-(09|1\d)/);
});
