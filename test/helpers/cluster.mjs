// Simulated hosts on this machine, for multi-host tests: each host is a
// network namespace with its own address (10.213.0.10, .11, ...) and host
// name, all joined by a bridge in a namespace of their own (nothing changes
// in this machine's own network namespace). mpirun starts inside the first
// host and reaches the others through rsh-agent.sh, which gives them a clean
// environment as ssh would. Needs root. Everything made here is removed by
// down(), by process exit, or (after a crash) by the next startCluster().
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mpirunFlavour, start } from './mpirun.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const rshAgent = path.join(here, 'rsh-agent.sh');
const onHost = path.join(here, 'on-host.sh');

/** Namespace names: mlc<pid of the test process>x<cluster number>(h<i>|sw). */
const NAME = /^mlc(\d+)x\d+(?:h\d+|sw)$/;

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/** Why simulated hosts cannot be made here, or null. Installs iproute2 when it is missing (as root). */
export function clusterUnavailable() {
  if (process.getuid?.() !== 0) return 'simulated hosts need root (network namespaces, mounts)';
  if (mpirunFlavour !== 'Open MPI') {
    return (
      `the hosts are reached through Open MPI's rsh agent and options (--mca plm_rsh_agent, ` +
      `hostfile slots, --bind-to none), and the mpirun here is ${mpirunFlavour}'s`
    );
  }
  if (!have('ip') && have('apt-get')) {
    spawnSync('apt-get', ['install', '-y', 'iproute2'], {
      stdio: 'ignore',
      timeout: 300_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  for (const cmd of ['ip', 'unshare', 'mount', 'timeout', 'mpirun']) if (!have(cmd)) return `no ${cmd} on this machine`;
  const probe = spawnSync('unshare', ['--net', '--uts', '--mount', 'true'], { encoding: 'utf8' });
  if (probe.status !== 0) return `namespaces are not allowed here: ${probe.stderr.trim()}`;
  return null;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function namespaces() {
  return ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => NAME.test(n));
}

const pidsIn = (ns) => {
  try {
    return ip('netns', 'pids', ns).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** Kills the processes inside a namespace (ours: nothing else runs in them), by PID. */
function endProcesses(ns) {
  for (const pid of pidsIn(ns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** Ends the processes still inside a namespace, then removes it. */
function removeNamespace(ns) {
  endProcesses(ns);
  const deadline = Date.now() + 5000;
  while (pidsIn(ns).length > 0 && Date.now() < deadline) spawnSync('sleep', ['0.05']);
  try {
    ip('netns', 'del', ns);
  } catch {
    /* already gone */
  }
}

/** Namespaces left by a test process that no longer runs (it crashed before tearing down). */
function removeStale() {
  for (const ns of namespaces()) if (!alive(Number(NAME.exec(ns)[1]))) removeNamespace(ns);
}

let clusters = 0;
const live = new Set();
process.on('exit', () => {
  for (const c of live) c.down();
});

/**
 * Starts `count` simulated hosts. Returns { hosts: [{ name, address }], dir,
 * hostfile(slots, hosts?), mpirunOptions, launch(command, options), ip(...), reconnect(host),
 * down() }.
 */
export function startCluster(count) {
  removeStale();
  const prefix = `mlc${process.pid}x${++clusters}`;
  const sw = `${prefix}sw`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netns-cluster-'));
  const hosts = Array.from({ length: count }, (_, i) => ({
    name: `${prefix}h${i}`,
    address: `10.213.0.${10 + i}`,
    port: `p${i}`,
  }));
  const hostsFile = path.join(dir, 'hosts');
  let up = true;
  const cluster = {
    hosts,
    dir,
    /** A hostfile giving each host (default: all) `slots` slots. */
    hostfile(slots = 2, which = hosts) {
      const file = path.join(dir, `hostfile-${which.length}x${slots}`);
      fs.writeFileSync(file, which.map((h) => `${h.name} slots=${slots}\n`).join(''));
      return file;
    },
    /** mpirun options for this cluster (run as root): its rsh agent; unbound ranks (each host's daemon would pin to core 0). */
    mpirunOptions: ['--allow-run-as-root', '--mca', 'plm_rsh_agent', rshAgent, '--bind-to', 'none'],
    /**
     * Runs `command` on a host (default: the first), under `timeout -k`:
     * after `timeout` ms it is ended (SIGTERM, then SIGKILL), and run()'s own
     * deadline is a second net. Resolves as run() does.
     */
    launch(command, options) {
      return cluster.start(command, options).done;
    },
    /** Starts `command` as launch() does, without waiting: returns start()'s job (pid, done, waitForStdout). */
    start(command, { host = hosts[0], timeout = 60_000, input, env = {} } = {}) {
      const seconds = String(Math.ceil(timeout / 1000));
      const job = start('timeout', ['-k', '5', seconds, onHost, host.name, hostsFile, ...command], {
        timeout: timeout + 15_000,
        input,
        // Slots are the hostfile's: no blanket oversubscription from the test helper.
        env: { CLUSTER_HOSTS_FILE: hostsFile, OMPI_MCA_rmaps_base_oversubscribe: '0', ...env },
      });
      // mpirun killed, its daemons and ranks on other hosts (process groups of
      // their own) may live on and hold the output pipes open: end them too.
      const reaper = setTimeout(() => {
        for (const h of hosts) endProcesses(h.name);
      }, timeout + 8_000);
      return { ...job, done: job.done.finally(() => clearTimeout(reaper)) };
    },
    /** The PIDs of the processes running on a host (in its network namespace). */
    pids: (host) => pidsIn(host.name),
    /** `ip` in the switch namespace, e.g. ip('link', 'set', hosts[1].port, 'down') cuts host 1 off. */
    ip: (...args) => ip('-n', sw, ...args),
    /**
     * Puts a host cut off with ip('link', 'set', port, 'down') back on the
     * network, and empties every host's neighbour cache, where the addresses
     * that went unanswered while it was off are marked failed (a daemon
     * started on it right after has been seen to fail to call back).
     */
    reconnect(host) {
      ip('-n', sw, 'link', 'set', host.port, 'up');
      for (const h of hosts) ip('-n', h.name, 'neigh', 'flush', 'all');
    },
    down() {
      if (!up) return;
      up = false;
      live.delete(cluster);
      for (const h of hosts) removeNamespace(h.name);
      removeNamespace(sw);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(cluster);
  try {
    ip('netns', 'add', sw);
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', sw, 'link', 'set', 'br0', 'up');
    for (const h of hosts) {
      ip('netns', 'add', h.name);
      // Both ends made directly in their namespaces: none ever appears in ours.
      ip('link', 'add', 'eth0', 'netns', h.name, 'type', 'veth', 'peer', 'name', h.port, 'netns', sw);
      ip('-n', sw, 'link', 'set', h.port, 'master', 'br0', 'up');
      ip('-n', h.name, 'addr', 'add', `${h.address}/24`, 'dev', 'eth0');
      ip('-n', h.name, 'link', 'set', 'eth0', 'up');
      ip('-n', h.name, 'link', 'set', 'lo', 'up');
    }
    fs.writeFileSync(
      hostsFile,
      ['127.0.0.1 localhost', ...hosts.map((h) => `${h.address} ${h.name}`)].join('\n') + '\n',
    );
  } catch (e) {
    cluster.down();
    throw e;
  }
  return cluster;
}
