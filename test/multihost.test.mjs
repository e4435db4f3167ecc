// Several hosts: network namespaces with their own addresses and host names
// (test/helpers/cluster.mjs), Open MPI's daemons started through an rsh agent
// with a clean environment. Ranks on every host; the loop, the registry,
// remote errors, the REPL, futures and faults across them.
import test from 'ava';
import path from 'node:path';
import { clusterUnavailable, startCluster } from './helpers/cluster.mjs';
import { keyed, root } from './helpers/mpirun.mjs';

const unavailable = clusterUnavailable();
const serial = unavailable ? test.serial.skip : test.serial;
if (unavailable) test.skip(`multi-host tests skipped: ${unavailable}`, () => {});

const cli = path.join(root, 'dist', 'cli', 'main.js');
const register = path.join(root, 'dist', 'register.js');
const fx = (name) => path.join(root, 'test', 'fixtures', 'cluster', name);

let cluster;
test.before(() => {
  if (!unavailable) cluster = startCluster(3);
});
test.after.always(() => cluster?.down());

/** The host each rank runs on with `perHost` ranks per host, in rank order. */
const layout = (hosts, perHost) => hosts.flatMap((h) => Array(perHost).fill(h.name));
const twoHosts = () => cluster.hostfile(2, cluster.hosts.slice(0, 2));
const run = (args, options) =>
  cluster.launch([process.execPath, cli, 'run', ...cluster.mpirunOptions, ...args], options);

serial("2 hosts: the loop, the registry and a remote error; rank 0's settings on every rank", async (t) => {
  // MPI_LOOP_SPIN_US is set where rank 0 runs only: the remote daemons start with a clean environment.
  const r = await run(['--hostfile', twoHosts(), '-n', '4', fx('loop.mjs')], { env: { MPI_LOOP_SPIN_US: '123' } });
  t.is(r.code, 0, r.stderr);
  const out = keyed(r.stdout);
  const [h0, h1] = cluster.hosts;
  t.deepEqual(out.HOSTS, layout([h0, h1], 2));
  t.deepEqual(
    out.SETTINGS.map((s) => s.env),
    ['123', '123', null, null],
    'the variable is not in the remote environment',
  );
  t.deepEqual(
    out.SETTINGS.map((s) => s.settings.spinMicros),
    [123, 123, 123, 123],
  );
  t.deepEqual(out.METHOD, [15, h0.name]);
  t.is(out.TOTAL, 15 * 4 + 0 + 1 + 2 + 3, 'each rank added 5 to its own tally');
  t.like(out.REMOTE_ERROR, { remote: true, rank: 3 });
  t.regex(out.REMOTE_ERROR.message, new RegExp(`failed on ${h1.name}`));
  t.is(out.AFTER_ERROR, 4, 'the loop goes on after a remote error');
});

serial('3 hosts under node --import: six ranks, two on each host, every rank in the loop', async (t) => {
  const r = await cluster.launch([
    'mpirun',
    ...cluster.mpirunOptions,
    '--hostfile',
    cluster.hostfile(2),
    '-n',
    '6',
    process.execPath,
    '--import',
    'mpi-loop/register',
    fx('loop.mjs'),
  ]);
  t.is(r.code, 0, r.stderr);
  const out = keyed(r.stdout);
  t.deepEqual(out.HOSTS, layout(cluster.hosts, 2));
  t.is(out.TOTAL, 15 * 6 + 0 + 1 + 2 + 3 + 4 + 5);
  t.like(out.REMOTE_ERROR, { remote: true, rank: 5 });
});

serial("mpi-loop run keeps to the hostfile's slots: -n 6 on two 2-slot hosts is refused, as by mpirun", async (t) => {
  const r = await run(['--hostfile', twoHosts(), '-n', '6', fx('loop.mjs')], { timeout: 30_000 });
  t.not(r.code, 0);
  t.regex(r.stderr, /not enough slots/);
  t.is(r.stdout, '');
  const dry = await run(['--hostfile', twoHosts(), '-n', '6', '--dry-run', fx('loop.mjs')], {
    env: { NODE_OPTIONS: '--max-old-space-size=512' },
  });
  t.is(dry.code, 0, dry.stderr);
  t.notRegex(dry.stdout, /--oversubscribe/);
  t.regex(dry.stdout, / -x NODE_OPTIONS /, 'what Node needs before MPI starts goes to every host');
});

serial("the REPL piped across 3 hosts: .px runs everywhere, .ranks shows each rank's host", async (t) => {
  const r = await cluster.launch(
    [
      'mpirun',
      ...cluster.mpirunOptions,
      '--hostfile',
      cluster.hostfile(2),
      '-n',
      '6',
      process.execPath,
      '-r',
      register,
    ],
    { input: '.px rank * 10\n.ranks\nawait call((x) => x + 1, 41)\n' },
  );
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  t.deepEqual(
    lines.slice(0, 6),
    [0, 1, 2, 3, 4, 5].map((k) => `[rank ${k}] ${k * 10}`),
  );
  const hosts = lines.slice(7, 13).map((l) => l.split(/\s+/).slice(0, 2));
  t.deepEqual(
    hosts,
    layout(cluster.hosts, 2).map((h, k) => [String(k), h]),
  );
  t.is(lines[13], '42');
});

serial("futures across 3 hosts: a PoolExecutor's tasks run on workers of every host", async (t) => {
  const r = await cluster.launch([
    process.execPath,
    cli,
    'futures',
    ...cluster.mpirunOptions,
    '--hostfile',
    cluster.hostfile(2),
    '-n',
    '6',
    fx('futures.mjs'),
  ]);
  t.is(r.code, 0, r.stderr);
  const out = keyed(r.stdout);
  t.is(out.WORKERS, 5);
  t.deepEqual(
    out.MAP.map(([v]) => v),
    Array.from({ length: 24 }, (_, i) => i * i),
  );
  const where = layout(cluster.hosts, 2);
  for (const [, host, rank] of out.MAP) t.is(host, where[rank], `rank ${rank} ran on ${host}`);
  t.true(
    out.MAP.some(([, , rank]) => rank >= 2),
    "some tasks ran on another host than rank 0's",
  );
});

serial('a remote worker throwing in a collective ends the job with its error on rank 0', async (t) => {
  const r = await run(['--hostfile', twoHosts(), '-n', '4', fx('fault.mjs')], { env: { FAULT: 'throw' } });
  t.false(r.timedOut);
  t.not(r.code, 0);
  t.regex(r.stdout, /READY/);
  t.notRegex(r.stdout, /NOT-REACHED/);
  t.regex(r.stderr, new RegExp(`RemoteError: rank 3: Error: failed on ${cluster.hosts[1].name}`));
});

serial('a remote rank SIGKILLed in a collective ends the job on every host', async (t) => {
  const r = await run(['--hostfile', cluster.hostfile(2), '-n', '6', fx('fault.mjs')], {
    env: { FAULT: 'kill', VICTIM: '4' },
  });
  t.false(r.timedOut);
  t.not(r.code, 0);
  t.notRegex(r.stdout, /NOT-REACHED/);
  t.regex(r.stderr, new RegExp(`rank 4 .*on node ${cluster.hosts[2].name}.*(signal 9|Killed)`));
});
