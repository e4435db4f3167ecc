// mpi-loop/futures: PoolExecutor under the event loop (2 and 4 ranks), the
// spawn path from one rank, CommExecutor in SPMD scripts, the command line.
import test from 'ava';
import { fixture, keyed as values, mpinode, mpirunFlavour, run, root } from './helpers/mpirun.mjs';
import { spawnUnavailable } from './helpers/spawn.mjs';
import { hasCommand, testIf } from './helpers/tools.mjs';

const register = ['-r', 'mpi-loop/register'];
const f = (name) => fixture(`futures/${name}`);
const env = { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' };

function checkBasic(t, r, workers) {
  t.false(r.timedOut, 'the job hung');
  t.is(r.code, 0, r.stderr);
  const v = values(r.stdout);
  t.is(v.WORKERS, workers);
  t.is(v.SUBMIT, 49);
  t.is(v.SOURCE, 5);
  t.is(v.BUILTIN, 9);
  t.deepEqual(v.MAP, [1, 2, 4, 8, 16, 32]);
  t.true(v.CHUNKED);
  t.deepEqual(v.STARMAP, [9, 1024]);
  // Unordered: as they complete; the 10 ms call first, the 1.5 s one last (far apart, so load cannot swap them).
  t.deepEqual([...v.UNORDERED].sort(), ['a', 'b', 'c', 'd']);
  if (workers >= 2) {
    t.is(v.UNORDERED[0], 'b');
    t.is(v.UNORDERED[3], 'a');
  } else {
    t.deepEqual(v.UNORDERED, ['a', 'b', 'c', 'd'], 'one worker runs them in turn');
  }
  t.true(v.ERROR.remote);
  t.regex(v.ERROR.message, /TypeError: bad value 42 \[in fail\]/);
  t.true(v.ERROR.stack, 'the remote stack names the failing function');
  t.deepEqual(v.MAPERROR, ['RemoteError']);
  t.deepEqual(v.CAPTURE, ['EncodeError', true], 'a function that captures a variable is refused, nothing hangs');
  t.is(v.AFTER_CAPTURE, 9);
  t.deepEqual(v.TIMEOUTS, ['TimeoutError', 'TimeoutError', 'slow', true]);
  t.is(v.AFTER, 'cannot submit after shutdown()');
  t.true(v.DONE);
}

for (const n of [2, 4]) {
  test(`PoolExecutor on the ranks of the event loop, ${n} ranks`, async (t) => {
    const r = await mpinode(n, [...register, f('basic.mjs')], { timeout: 90_000 });
    checkBasic(t, r, n - 1);
  });

  test(`cancellation and shutdown({ cancelFutures }), ${n} ranks`, async (t) => {
    const r = await mpinode(n, [...register, f('cancel.mjs')], { timeout: 90_000 });
    t.false(r.timedOut);
    t.is(r.code, 0, r.stderr);
    const v = values(r.stdout);
    t.true(v.RUNNING.every(Boolean));
    t.false(v.CANCEL_RUNNING);
    t.true(v.CANCEL_QUEUED);
    t.deepEqual(v.STATE, [true, true]);
    t.true(v.REJECTED);
    const w = n - 1;
    t.deepEqual(
      v.OUTCOMES.slice(0, w),
      Array.from({ length: w }, (_, i) => i),
      'running futures finish',
    );
    t.deepEqual(v.OUTCOMES.slice(w), Array(4).fill('CancelledError'), 'queued futures are cancelled');
  });

  test(`CommExecutor in an SPMD script, ${n} ranks`, async (t) => {
    const r = await mpinode(n, [f('comm-executor.mjs')], { timeout: 90_000, env: { ROOT: String(n - 1) } });
    t.false(r.timedOut);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`^ROOT ${n - 1} -42 false true$`, 'm'), 'tasks ran on the other ranks, not the root');
    t.regex(r.stdout, /^SQUARES 1,4,9$/m);
    for (let rank = 0; rank < n - 1; rank++) t.regex(r.stdout, new RegExp(`^SERVED ${rank}$`, 'm'));
  });
}

// The one-rank path spawns its workers; an MPI without dynamic processes
// cannot (test/spawn-support.test.mjs checks the error it then gives).
const cannotSpawn = spawnUnavailable();
const withSpawn = testIf(test, !cannotSpawn, cannotSpawn);

withSpawn('the spawn path: one rank (no mpirun) spawns 2 workers with MPI_Comm_spawn', async (t) => {
  const r = await run(process.execPath, [f('basic.mjs')], { timeout: 90_000, env: { ...env, MAX_WORKERS: '2' } });
  checkBasic(t, r, 2);
});

withSpawn('the spawn path under the preload (node --import mpi-loop/register), with cancellation', async (t) => {
  const r = await run(process.execPath, ['--import', 'mpi-loop/register', f('cancel.mjs')], {
    timeout: 90_000,
    env: { ...env, MAX_WORKERS: '2' },
  });
  t.false(r.timedOut);
  t.is(r.code, 0, r.stderr);
  const v = values(r.stdout);
  t.deepEqual(v.OUTCOMES, [0, 1, 'CancelledError', 'CancelledError', 'CancelledError', 'CancelledError']);
});

withSpawn('a spawned worker killed mid-run rejects its futures; the other worker goes on', async (t) => {
  const r = await run(process.execPath, [f('killed.mjs')], { timeout: 90_000, env: { ...env, MAX_WORKERS: '2' } });
  t.false(r.timedOut, 'a future hung');
  t.regex(r.stdout, /^DOOMED BrokenExecutorError true$/m);
  t.regex(r.stdout, /^OTHER still-running$/m);
  t.regex(r.stdout, /^DONE$/m);
});

test('a loop worker killed mid-run rejects its futures; the job ends with a non-zero status', async (t) => {
  const r = await mpinode(3, [...register, f('killed.mjs')], { timeout: 90_000 });
  t.false(r.timedOut, 'the job hung');
  t.not(r.code, 0, 'mpirun reports the killed rank');
  if (mpirunFlavour === 'Open MPI') {
    t.regex(r.stdout, /^DOOMED BrokenExecutorError true$/m);
  } else {
    // Hydra ends every rank with SIGKILL as soon as one dies of a signal
    // (-disable-auto-cleanup or not): rank 0 has no time to see the futures fail.
    t.regex(`${r.stdout}${r.stderr}`, /Killed \(signal 9\)/);
  }
});

test('mpi-loop futures -n 3 script.js', async (t) => {
  const r = await run(process.execPath, [`${root}/dist/cli/main.js`, 'futures', '-n', '3', f('basic.mjs')], {
    timeout: 90_000,
  });
  checkBasic(t, r, 2);
});

test('mpi-loop futures --help', async (t) => {
  const r = await run(process.execPath, [`${root}/dist/cli/main.js`, 'futures', '--help']);
  t.is(r.code, 0);
  t.regex(r.stdout, /mpi-loop futures -n N/);
});

test('an executor never shut down is shut down at exit; every rank exits 0', async (t) => {
  const r = await mpinode(3, [...register, f('no-shutdown.mjs')], { timeout: 60_000 });
  t.false(r.timedOut);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^RESULT 144$/m);
  t.regex(r.stdout, /^LATE 25$/m);
});

// `script` (util-linux; Debian's bsdutils) gives the fixture a terminal. The
// fixture is started without a launcher (a launcher may give its ranks pipes,
// as MPICH's Hydra does), so its executor spawns its workers.
const withScript = cannotSpawn
  ? testIf(test, false, `the progress bar is drawn by a one-rank executor, which spawns its workers: ${cannotSpawn}`)
  : testIf(
      test,
      hasCommand('script'),
      'needs the `script` command, which is not installed (npm test installs it; Debian: apt-get install -y bsdutils)',
    );

withScript('a long map draws a progress bar on a terminal, and nothing when stderr is not one', async (t) => {
  const tty = await run('script', ['-qec', `${process.execPath} ${f('progress.mjs')}`, '/dev/null'], {
    timeout: 60_000,
    env,
  });
  t.is(tty.code, 0, tty.stderr);
  t.regex(tty.stdout, /\[#+\.*\] \d+\/400 [\d.]+k?\/s \S+ left/, 'done/total, rate and time left');
  const plain = await run(process.execPath, [f('progress.mjs')], { timeout: 60_000, env });
  t.is(plain.code, 0);
  t.regex(plain.stdout, /^N 400$/m);
  t.is(plain.stderr, '', 'nothing extra on a stderr that is not a terminal');
});
