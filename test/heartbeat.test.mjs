// Heartbeats on one host: rank 0's heartbeatTimeout reaches every rank's
// native side, and a worker that stops answering (SIGSTOP: alive, silent)
// ends the job within it, named by rank 0.
import test from 'ava';
import { keyed, mpinode, root, startMpinode } from './helpers/mpirun.mjs';
import os from 'node:os';
import path from 'node:path';
import { waitUntil } from './helpers/processes.mjs';

const register = ['-r', path.join(root, 'dist', 'register.js')];
const fx = (name) => path.join(root, 'test', 'fixtures', 'liveness', name);

test("rank 0's heartbeatTimeout is the one every rank watches with", async (t) => {
  // Every rank's environment says 7; rank 0 changes it to 4 before the loop starts.
  const r = await mpinode(3, [...register, fx('settings.mjs')], {
    env: { MPI_LOOP_AUTO_LAUNCH: '0', MPI_LOOP_HEARTBEAT_TIMEOUT: '7', RANK0_HEARTBEAT: '4' },
  });
  t.is(r.code, 0, r.stderr);
  const report = keyed(r.stdout).REPORT;
  t.deepEqual(
    report.map((x) => [x.rank, x.setting, x.timeoutMs, x.intervalMs]),
    [0, 1, 2].map((rank) => [rank, 4, 4000, 1000]),
  );
  t.deepEqual(
    report.map((x) => x.linked),
    [false, true, true],
    'each worker has a link that rank 0 answered (rank 0 has none)',
  );
});

test('a worker that falls silent ends the job within the heartbeat timeout, named on rank 0', async (t) => {
  const job = startMpinode(3, [...register, fx('idle-then-call.mjs')], {
    env: { MPI_LOOP_HEARTBEAT_TIMEOUT: '2', GO_FILE: path.join(os.tmpdir(), `mpi-loop-test-never-${process.pid}`) },
  });
  t.true(await job.waitForStdout(/^READY/m), job.stderr());
  const victim = keyed(job.stdout()).RANKS[2];
  process.kill(victim.pid, 'SIGSTOP');
  t.teardown(() => {
    try {
      process.kill(victim.pid, 'SIGKILL');
    } catch {
      /* gone, as it should be */
    }
  });
  const stopped = Date.now();
  const r = await job.done;
  t.false(r.timedOut);
  t.not(r.code, 0);
  t.regex(
    r.stderr,
    new RegExp(
      `lost contact with host ${victim.host} \\(rank 2\\): nothing heard for \\d+ ms \\(heartbeatTimeout 2 s\\)`,
    ),
  );
  t.true(Date.now() - stopped < 20_000, 'the job ended within seconds');
  const alive = () => {
    try {
      process.kill(victim.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  t.true(await waitUntil(() => !alive(), 10_000), 'the stopped worker was ended with the job');
});
