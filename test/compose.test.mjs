// Every higher layer composes with every other: WorkerPool, distribute, .px,
// VirtualMachine, PoolExecutor, CommExecutor and MpiBackend, used one after
// another and interleaved, torn down with and without await, and started while
// another layer holds the workers (a clear error, then a retry that works), at
// 2, 3 and 4 ranks. Each step has a deadline enforced from outside the job: a
// step whose marker does not arrive in time kills the job and names the step.
import { spawn } from 'node:child_process';
import test from 'ava';
import { fixture, mpinode, mpirunOptions, mpirunPath, root, tagged } from './helpers/mpirun.mjs';

const STEPS = [
  'pool',
  'distribute',
  'px',
  'vm',
  'vm-unawaited-then-call',
  'vm-unawaited-then-pool',
  'vm-twice',
  'executor',
  'executor-unawaited-then-call',
  'backend',
  'backend-unawaited-then-pool',
  'comm-executor',
  'overlap-vm',
  'overlap-executor',
  'overlap-async-call',
  'teardown-in-flight',
  'end',
];
/** Generous: 4 ranks share 2 cores with other jobs. The first step includes the job's start. */
const FIRST_STEP_MS = 60_000;
const STEP_MS = 30_000;

/**
 * Runs the fixture under mpirun in its own process group. Resolves with the
 * result of every step that finished, the step that missed its deadline (the
 * job is then killed), the exit code and stderr.
 */
function runSteps(n) {
  return new Promise((resolve) => {
    const child = spawn(
      mpirunPath,
      [...mpirunOptions(n), process.execPath, '-r', 'mpi-loop/register', fixture('compose/layers.mjs')],
      {
        cwd: root,
        env: { ...process.env, OMPI_MCA_rmaps_base_oversubscribe: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    const results = new Map();
    let next = 0,
      missed = null,
      stdout = '',
      stderr = '',
      pending = '';
    let timer;
    const arm = (ms) => {
      clearTimeout(timer);
      if (next >= STEPS.length) return;
      timer = setTimeout(() => {
        missed = STEPS[next];
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, ms);
    };
    arm(FIRST_STEP_MS);
    child.stdout.on('data', (d) => {
      stdout += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const m = /^STEP (\S+) (.*)$/.exec(line);
        if (!m) continue;
        results.set(m[1], JSON.parse(m[2]));
        if (m[1] === STEPS[next]) {
          next++;
          arm(STEP_MS);
        }
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ results, missed, code, signal, stdout, stderr });
    });
  });
}

const held = (holder, release) => new RegExp(`held by ${holder}.*; release them with ${release}`);
const VM = held('a VirtualMachine', '`await vm\\.finalize\\(\\)`');
const EXECUTOR = held('a PoolExecutor', '`await executor\\.shutdown\\(\\)`.*`await backend\\.cleanup\\(\\)`');

for (const n of [2, 3, 4]) {
  test(`every layer composes with every other, awaited or not, ${n} ranks`, async (t) => {
    const r = await runSteps(n);
    const done = STEPS.filter((s) => r.results.has(s));
    t.is(
      r.missed,
      null,
      `step "${r.missed}" did not finish within its deadline (the job was killed); finished: ${done.join(', ')}\n${r.stderr}`,
    );
    t.is(r.code, 0, `exit ${r.code} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`);
    t.deepEqual(done, STEPS, 'every step ran, in order');
    const v = Object.fromEntries(r.results);
    const ranks = Array.from({ length: n }, (_, i) => i);

    t.deepEqual(v.pool, [1, 4, 9, 16, 25, 36, 49]);
    t.deepEqual(v.distribute, [7, 7 * n], 'the method ran and a collective over every copy agrees');
    t.deepEqual(
      v.px,
      ranks.map((k) => String(k * 10)),
      '.px ran on every rank',
    );
    t.deepEqual(v.vm, [n, 5], 'the virtual machine saw every slot and ran a task');
    t.deepEqual(v['vm-unawaited-then-call'], [9, ranks], 'a collective call() right after an un-awaited finalize()');
    t.deepEqual(v['vm-unawaited-then-pool'], [1, 4, 9], 'a new WorkerPool right after an un-awaited finalize()');
    t.deepEqual(v['vm-twice'], [true, 11], 'a second virtual machine after the first, un-awaited');
    t.deepEqual(v.executor, [n - 1, 3, [1, 4, 9, 16, 25, 36, 49]]);
    t.deepEqual(
      v['executor-unawaited-then-call'],
      [[1, 4, 9], ranks],
      'a collective call() right after an un-awaited shutdown()',
    );
    t.deepEqual(v.backend, [2, 9, 'z']);
    t.deepEqual(v['backend-unawaited-then-pool'], [[4], [16, 25]], 'a WorkerPool right after an un-awaited cleanup()');
    t.deepEqual(v['comm-executor'], [42, n], 'CommExecutor under the loop uses its workers, and hands them back');

    // A layer started while a virtual machine holds the workers: the error names it and how to release it.
    const overlap = v['overlap-vm'];
    for (const [layer, [name, message]] of Object.entries(overlap.errors).filter(([k]) => k !== 'vm')) {
      t.is(name, 'WorkersBusyError', layer);
      t.regex(message, VM, layer);
    }
    t.regex(overlap.errors.call[1], /^call: /);
    t.regex(overlap.errors.pool[1], /^WorkerPool: /);
    t.regex(overlap.errors.poolMap[1], /^WorkerPool\.map: /);
    t.regex(overlap.errors.distribute[1], /^distribute: /);
    t.true(overlap.errors.backend[2] < 10_000, 'execute(10) refused before its timeout');
    t.true(overlap.errors.vm, 'the same virtual machine, not a second one');
    t.deepEqual(overlap.retry, [1, 4], 'after the release the pool works again');

    const ex = v['overlap-executor'];
    for (const [layer, [name, message]] of Object.entries(ex.errors)) {
      t.is(name, 'WorkersBusyError', layer);
      t.regex(message, EXECUTOR, layer);
    }
    t.regex(ex.errors.vm[1], /^VirtualMachine: /);
    t.is(ex.retry, 2, 'a virtual machine after the executor shut down, un-awaited');

    const busy = v['overlap-async-call'];
    t.regex(busy.error[1], /^VirtualMachine: .*still running an asynchronous call\(\).*await its Promise first/);
    t.deepEqual(busy.values, ['a', 'b', 'c', 'd']);
    t.deepEqual(busy.after, ranks);

    const inFlight = v['teardown-in-flight'];
    t.regex(
      inFlight.error[1],
      /^call: .*still held by a VirtualMachine, which is releasing them; wait for that with `await vm\.finalize\(\)`/,
    );
    t.is(inFlight.value, 7, 'an executor waits for the release instead of failing');

    t.deepEqual(v.end, [n, ranks]);
  });
}

test('a script that ends with a VirtualMachine never finalized still ends cleanly, 3 ranks', async (t) => {
  const r = await mpinode(3, ['-r', 'mpi-loop/register', fixture('compose/left-open.mjs')], {
    // Short enough that quit() giving up on the workers would show as a failure.
    env: { MPI_LOOP_QUIT_TIMEOUT: '20' },
    timeout: 90_000,
  });
  t.false(r.timedOut);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(tagged(r.stdout, 'SPAWNED '), ['1']);
  t.notRegex(r.stderr, /did not answer quit/);
});
