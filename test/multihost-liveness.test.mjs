// Wake-ups and liveness across simulated hosts (test/helpers/cluster.mjs):
// idle workers on other hosts than rank 0's sleep (rank 0 rings them over
// their link), a call after idle is served by them, and a host cut off from
// the network (its link taken down) ends the job within the heartbeat
// timeout, with rank 0 naming the host and its ranks, and nothing of the job
// left on any host.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { clusterUnavailable, startCluster } from './helpers/cluster.mjs';
import { keyed, root } from './helpers/mpirun.mjs';
import { waitUntil } from './helpers/processes.mjs';

const unavailable = clusterUnavailable();
const serial = unavailable ? test.serial.skip : test.serial;
if (unavailable) test.skip(`multi-host liveness tests skipped: ${unavailable}`, () => {});

const cli = path.join(root, 'dist', 'cli', 'main.js');
const fx = (name) => path.join(root, 'test', 'fixtures', 'liveness', name);
/** A short heartbeat timeout, set where rank 0 runs only: workers on other hosts must adopt it. */
const HEARTBEAT_S = 3;
/** How long after the timeout the launcher may take to end every process. */
const TEARDOWN_S = 15;

let cluster;
test.before(() => {
  if (!unavailable) cluster = startCluster(3);
});
test.after.always(() => cluster?.down());

/** Starts `mpi-loop run` of a fixture on `hostCount` hosts, two ranks each. */
function startJob(hostCount, script, env = {}) {
  const hosts = cluster.hosts.slice(0, hostCount);
  const go = path.join(cluster.dir, `go-${process.hrtime.bigint()}`);
  const job = cluster.start(
    [
      process.execPath,
      cli,
      'run',
      ...cluster.mpirunOptions,
      '--hostfile',
      cluster.hostfile(2, hosts),
      '-n',
      String(2 * hostCount),
      fx(script),
    ],
    { env: { MPI_LOOP_HEARTBEAT_TIMEOUT: String(HEARTBEAT_S), GO_FILE: go, ...env }, timeout: 90_000 },
  );
  return { ...job, hosts, go };
}

/**
 * startJob, and its READY line. Open MPI at times fails to start its daemon
 * on a simulated host ("ORTE was unable to reliably start one or more
 * daemons") before any rank runs, so before anything under test happens:
 * then the job is launched once more. Null (the test failed) otherwise.
 */
async function startReady(t, hostCount, script) {
  for (let attempt = 1; ; attempt++) {
    const job = startJob(hostCount, script);
    if (await job.waitForStdout(/^READY/m, 60_000)) return job;
    const r = await job.done;
    if (attempt === 1 && /ORTE was unable to reliably start one or more daemons/.test(r.stderr)) {
      t.log('Open MPI could not start its daemon on a simulated host: launching once more');
      continue;
    }
    t.fail(`no READY line\n${r.stdout}\n${r.stderr}`);
    return null;
  }
}

/** CPU time (user + system) of a process in clock ticks, from /proc/<pid>/stat. */
function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Each process's CPU use over `ms`, in percent of one core (/proc reports 100 ticks a second). */
async function cpuPercent(pids, ms) {
  const before = pids.map(cpuTicks);
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const seconds = (performance.now() - t0) / 1000;
  return pids.map((pid, i) => (cpuTicks(pid) - before[i]) / seconds);
}

for (const hostCount of [2, 3]) {
  serial(
    `${hostCount} hosts: idle workers on other hosts sleep under 1% of a core; a call after idle wakes and is served by every one`,
    async (t) => {
      const job = await startReady(t, hostCount, 'idle-then-call.mjs');
      if (!job) return;
      const ranks = keyed(job.stdout()).RANKS;
      const remote = ranks.filter((r) => r.host !== job.hosts[0].name);
      t.is(remote.length, 2 * (hostCount - 1), 'two ranks on each other host');
      // Past the spin after the last command and the step into deep sleep.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const usage = await cpuPercent(
        remote.map((r) => r.pid),
        4000,
      );
      for (const [i, percent] of usage.entries()) {
        t.true(
          percent < 1,
          `rank ${remote[i].rank} on ${remote[i].host} used ${percent.toFixed(2)}% of a core while idle`,
        );
      }
      fs.writeFileSync(job.go, '');
      const r = await job.done;
      t.is(r.code, 0, r.stderr);
      const woke = keyed(r.stdout).WOKE;
      t.deepEqual(
        woke.map((w) => [w.rank, w.host]),
        ranks.map((w) => [w.rank, w.host]),
        'every rank served the call after idle',
      );
      for (const w of woke.filter((x) => x.rank > 0)) {
        t.true(w.linked, `rank ${w.rank}: rank 0 answered on its link`);
        t.is(w.timeoutMs, HEARTBEAT_S * 1000, `rank ${w.rank} watches with rank 0's heartbeat timeout`);
        t.true(w.cpu < 1, `rank ${w.rank} used ${w.cpu.toFixed(2)}% of a core over its idle period`);
      }
    },
  );

  for (const when of ['during calls with a collective inside', 'while idle']) {
    serial(
      `${hostCount} hosts: the last host cut off ${when} ends the job, naming it, and leaves nothing on any host`,
      async (t) => {
        const job = await startReady(t, hostCount, when === 'while idle' ? 'idle-then-call.mjs' : 'calls.mjs');
        if (!job) return;
        const lost = job.hosts[hostCount - 1];
        try {
          const ranks = keyed(job.stdout()).RANKS;
          const lostRanks = ranks.filter((r) => r.host === lost.name).map((r) => r.rank);
          const started = Object.fromEntries(job.hosts.map((h) => [h.name, cluster.pids(h)]));
          for (const h of job.hosts) t.true(started[h.name].length > 0, `the job runs on ${h.name}`);

          cluster.ip('link', 'set', lost.port, 'down');
          const cut = Date.now();
          const r = await job.done;
          const seconds = (Date.now() - cut) / 1000;
          t.false(r.timedOut, 'the job ended by itself');
          t.not(r.code, 0);
          t.true(
            seconds < HEARTBEAT_S + TEARDOWN_S,
            `the job ended ${seconds.toFixed(1)} s after the cut\n${r.stderr}`,
          );
          t.regex(
            r.stderr,
            new RegExp(`lost contact with host ${lost.name} \\(ranks ${lostRanks.join(', ')}\\)`),
            'rank 0 names the lost host and its ranks',
          );
          // Each host's processes of the job have gone: the cut-off host's end by themselves.
          const left = () =>
            job.hosts.flatMap((h) =>
              started[h.name].filter((pid) => cluster.pids(h).includes(pid)).map((pid) => `${h.name}:${pid}`),
            );
          await waitUntil(() => left().length === 0, (HEARTBEAT_S + TEARDOWN_S) * 1000);
          t.deepEqual(left(), [], 'no process of the job is left on any host');
        } finally {
          cluster.reconnect(lost);
        }
      },
    );
  }
}
