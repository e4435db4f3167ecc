// The PyOPUS virtual machine and the pySPACE backend (mpi-loop/parallel), at 2 and 4 ranks.
import test from 'ava';
import { fixture, keyed as values, mpinode } from './helpers/mpirun.mjs';
import { spawnUnavailable } from './helpers/spawn.mjs';
import { testIf } from './helpers/tools.mjs';

const register = ['-r', 'mpi-loop/register'];

for (const n of [2, 4]) {
  test(`VirtualMachine: slots, hosts, IDs, timeouts, spawn, messages and notifications, ${n} ranks`, async (t) => {
    const r = await mpinode(n, [...register, fixture('futures/vm.mjs')], { timeout: 90_000 });
    t.false(r.timedOut);
    t.is(r.code, 0, r.stderr);
    const v = values(r.stdout);
    const w = n - 1;
    const spawned = Math.min(2, w);
    t.true(v.SAME, 'one virtual machine per process');
    t.deepEqual(v.SLOTS, [n, w]);
    t.deepEqual(v.HOSTS, [['string', true, n]]);
    t.deepEqual(v.IDS, ['0:0', true, false]);
    t.is(v.CONFIG, `MPI virtual machine: ${n} slot(s), ${w} free`);
    t.deepEqual(v.POLL, [], 'zero timeout polls');
    t.deepEqual(v.TIMEOUT, [[], true], 'a positive timeout waits, then gives []');
    t.deepEqual(v.SPAWNED, [spawned, true, w - spawned]);
    t.deepEqual(v.NOTIFIED, { hello: spawned, result: Array(spawned).fill([true, 42]), exit: spawned });
    t.is(v.FREE, w, 'exits free the slots');
    t.deepEqual(v.FAILED, [1, false, 'task failed on purpose']);
    t.deepEqual(v.NOSENDBACK, ['taskExit', true], 'without sendBack only the exit is notified');
    t.is(v.TARGET, 0, 'no slot on an unknown host');
    t.true(v.DONE);
  });

  test(`MpiBackend through a whole operation, ${n} ranks`, async (t) => {
    const r = await mpinode(n, [...register, fixture('futures/backend.mjs')], { timeout: 90_000 });
    t.false(r.timedOut);
    t.is(r.code, 0, r.stderr);
    const v = values(r.stdout);
    t.true(v.DEFAULT_POOL);
    t.deepEqual(v.STAGED, { done: 0, running: 0, failed: 0, total: 5 });
    t.deepEqual(v.MID, [5, true, true]);
    t.deepEqual(v.FINAL, { done: 4, running: 0, failed: 1, total: 5 });
    t.deepEqual(v.RESULTS, ['a', 3, 'RemoteError:RangeError', 'd', 7]);
    t.deepEqual(v.CONSOLIDATED, [[2], 4]);
    t.deepEqual(v.CLEAN, { done: 0, running: 0, failed: 0, total: 0 });
  });
}

const cannotSpawn = spawnUnavailable();
testIf(
  test,
  !cannotSpawn,
  cannotSpawn,
)('MpiBackend from one rank: the pool is spawned (no mpirun)', async (t) => {
  const { run } = await import('./helpers/mpirun.mjs');
  const r = await run(process.execPath, [fixture('futures/backend.mjs')], {
    timeout: 90_000,
    env: { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
  });
  t.false(r.timedOut);
  t.is(r.code, 0, r.stderr);
  const v = values(r.stdout);
  t.true(v.DEFAULT_POOL);
  t.deepEqual(v.FINAL, { done: 4, running: 0, failed: 1, total: 5 });
  t.deepEqual(v.RESULTS, ['a', 3, 'RemoteError:RangeError', 'd', 7]);
  t.deepEqual(v.CLEAN, { done: 0, running: 0, failed: 0, total: 0 });
});
