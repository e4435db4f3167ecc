// Yielding waits: with more ranks than cores under an MPI whose blocking calls
// spin (MPICH), each blocking call that has a nonblocking twin runs the twin
// and tests it, yielding the core between tests. MPI_LOOP_YIELDING_WAITS=1
// forces that path under any MPI, so the fixtures of every blocking call run
// through it here, then the event loop and a distributed solver on top.
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { assertChecked } from './helpers/checked.mjs';
import { assertChecks } from './helpers/fixture-checks.mjs';
import { fixture, mpinode, root, run, tagged } from './helpers/mpirun.mjs';

const env = { MPI_LOOP_YIELDING_WAITS: '1' };
const cli = path.join(root, 'dist', 'cli', 'main.js');

test('the choice: more ranks than cores yields unless the MPI yields itself; the variable overrides', async (t) => {
  const { yieldingWaits } = await import('../dist/mpi/host.js');
  const over = String(os.cpus().length + 1);
  t.true(yieldingWaits('MPICH', { MPI_LOCALNRANKS: over }));
  t.false(yieldingWaits('MPICH', { MPI_LOCALNRANKS: '1' }));
  // Open MPI yields when mpirun knows of the oversubscription, or when told to
  t.false(yieldingWaits('Open MPI', { OMPI_COMM_WORLD_LOCAL_SIZE: over, OMPI_MCA_mpi_oversubscribe: '1' }));
  t.false(yieldingWaits('Open MPI', { OMPI_COMM_WORLD_LOCAL_SIZE: over, OMPI_MCA_mpi_yield_when_idle: 'true' }));
  // ... and not when mpirun was given more slots than cores, or told not to
  t.true(yieldingWaits('Open MPI', { OMPI_COMM_WORLD_LOCAL_SIZE: over, OMPI_MCA_mpi_oversubscribe: '0' }));
  t.true(
    yieldingWaits('Open MPI', {
      OMPI_COMM_WORLD_LOCAL_SIZE: over,
      OMPI_MCA_mpi_oversubscribe: '1',
      OMPI_MCA_mpi_yield_when_idle: '0',
    }),
  );
  t.false(yieldingWaits('Open MPI', { OMPI_COMM_WORLD_LOCAL_SIZE: '1' }));
  t.true(yieldingWaits('Open MPI', { OMPI_COMM_WORLD_LOCAL_SIZE: '1', MPI_LOOP_YIELDING_WAITS: '1' }));
  t.false(yieldingWaits('MPICH', { MPI_LOCALNRANKS: over, MPI_LOOP_YIELDING_WAITS: '0' }));
  t.throws(() => yieldingWaits('MPICH', { MPI_LOOP_YIELDING_WAITS: 'yes' }), {
    instanceOf: RangeError,
    message: /MPI_LOOP_YIELDING_WAITS=yes: expected 1/,
  });
});

test('mpi-loop info says how blocking calls wait, and names a bad MPI_LOOP_YIELDING_WAITS', async (t) => {
  const field = (r) => /^blocking waits:\s+(.*)$/m.exec(r.stdout)?.[1];
  const plain = await run(process.execPath, [cli, 'info'], { env: { MPI_LOOP_YIELDING_WAITS: '' } });
  t.is(plain.code, 0, plain.stderr);
  t.is(field(plain), "the MPI's own blocking calls");
  const forced = await run(process.execPath, [cli, 'info'], { env });
  t.is(forced.code, 0, forced.stderr);
  t.regex(field(forced), /^test and yield the core/);
  const bad = await run(process.execPath, [cli, 'info'], { env: { MPI_LOOP_YIELDING_WAITS: 'often' } });
  t.not(bad.code, 0);
  t.regex(bad.stderr, /MPI_LOOP_YIELDING_WAITS=often: expected 1 \(yield\) or 0/);
});

test('every value kind through every object method, yielding, at 4 ranks', async (t) => {
  const r = await mpinode(4, [fixture('object-messages.mjs')], { env, timeout: 120_000 });
  t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  t.deepEqual(tagged(r.stdout, 'FAIL'), []);
  const checks = tagged(r.stdout, 'CHECKS ').map((l) => Number(l.split(' ')[1]));
  t.is(checks.length, 4);
  t.true(
    checks.every((c) => c > 100),
    `checks per rank: ${checks}`,
  );
});

test('every TypedArray kind through every buffer method and op, yielding, at 4 ranks', async (t) => {
  const r = await mpinode(4, [fixture('buffer-messages.mjs')], { env, timeout: 120_000 });
  t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  t.deepEqual(tagged(r.stdout, 'FAIL'), []);
  t.true(r.stdout.includes('DONE'));
  t.is(tagged(r.stdout, 'CHECKS ').length, 4);
});

test('every send mode and matched probes, yielding, at 4 ranks', async (t) => {
  const modes = await mpinode(4, [fixture('p2p-modes.mjs')], { env, timeout: 120_000 });
  assertChecks(t, modes, 4, 600);
  const probes = await mpinode(4, [fixture('matched-probe.mjs')], { env, timeout: 120_000 });
  assertChecks(t, probes, 4, 290);
});

test('neighbourhood collectives and double neighbours, yielding, at 4 ranks', async (t) => {
  const grids = await mpinode(4, [fixture('communicators/topologies.mjs')], { env, timeout: 120_000 });
  assertChecked(t, grids, 4, 200);
  const pairs = await mpinode(4, [fixture('communicators/neighbor-pairs.mjs')], { env, timeout: 120_000 });
  assertChecked(t, pairs, 4, 30);
});

test('the distributed CG solver under the event loop, yielding, at 4 ranks', async (t) => {
  const r = await mpinode(
    4,
    ['-r', path.join(root, 'dist', 'register.js'), path.join(root, 'examples', 'solver', 'solve.mjs'), '32', '--json'],
    { env, timeout: 120_000 },
  );
  t.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(r.stdout.trim().split('\n').pop());
  t.is(result.ranks, 4);
  t.true(result.iterations > 10, `${result.iterations} iterations`);
  t.true(result.trueResidual < 1e-9, `residual ${result.trueResidual}`);
  t.true(result.error < 1e-8, `error ${result.error}`);
});
