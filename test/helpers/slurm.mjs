// A one-node Slurm cluster on this machine, for tests: munged, slurmctld and
// slurmd (Debian's slurm-wlm), started as root without systemd, cgroups or
// accounting, with their configuration, state and logs in a temporary
// directory and on free ports. Installs slurm-wlm and munge with apt-get when
// missing: only this test needs them, so the project's setup does not pay for
// them. stop() ends every daemon it started, by PID.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mpirunFlavour, run } from './mpirun.mjs';

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const DAEMONS = ['slurmctld', 'slurmd', 'munged', 'salloc', 'sbatch', 'srun', 'sinfo'];

/** Why a local Slurm cannot run here, or null. Installs it when missing (as root, with apt-get). */
export function slurmUnavailable() {
  if (process.getuid?.() !== 0) return 'a local Slurm needs root: its daemons run as root';
  if (!DAEMONS.every(have) && have('apt-get')) {
    spawnSync('apt-get', ['install', '-y', 'slurm-wlm', 'munge'], {
      stdio: 'ignore',
      timeout: 600_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const missing = DAEMONS.filter((cmd) => !have(cmd));
  if (missing.length > 0) return `Slurm is not installed and could not be (missing ${missing.join(', ')})`;
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what, check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Stops a daemon by PID: SIGTERM, then SIGKILL after 10 s. */
async function stopPid(pid) {
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  try {
    await until(`process ${pid} to end`, () => !alive(pid), 10_000);
  } catch {
    process.kill(pid, 'SIGKILL');
  }
}

/**
 * Starts Slurm with one node advertising `cpus` CPUs (more than the hardware
 * is allowed, so 4 tasks fit on 2 cores). Returns { dir, env, host, cmd(command,
 * options), stop() }: cmd runs a command (salloc, sbatch, srun, ...) with
 * SLURM_CONF set, under `timeout -k`.
 */
/**
 * srun's MPI plugin for the MPI under test: Open MPI's library speaks PMIx;
 * MPICH's (Debian's, PMI-1 client) speaks the PMI wire protocol that Slurm's
 * pmi2 plugin serves (as `srun --mpi=pmi2`).
 */
const srunMpiPlugin = mpirunFlavour === 'Open MPI' ? 'pmix' : 'pmi2';

export async function startSlurm({ cpus = 8 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slurm-local-'));
  const host = os.hostname().split('.')[0];
  const pids = [];
  let mungePid;
  const stop = async () => {
    spawnSync('scancel', ['--user', 'root'], {
      env: { ...process.env, SLURM_CONF: conf },
      stdio: 'ignore',
      timeout: 10_000,
    });
    for (const pid of pids.splice(0).reverse()) await stopPid(pid);
    await stopPid(mungePid);
    mungePid = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const conf = path.join(dir, 'slurm.conf');
  try {
    // munge: Debian's package makes the key; a daemon already running (not ours) is left alone.
    if (!fs.existsSync('/etc/munge/munge.key')) {
      execFileSync('mungekey', ['--create', '--keyfile=/etc/munge/munge.key']);
      execFileSync('chown', ['munge:munge', '/etc/munge/munge.key']);
      fs.chmodSync('/etc/munge/munge.key', 0o400);
    }
    const mungeRunning =
      spawnSync('sh', ['-c', 'munge -n | unmunge'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
    if (!mungeRunning) {
      execFileSync('install', ['-d', '-o', 'munge', '-g', 'munge', '-m', '755', '/run/munge']);
      // It daemonises as the munge user; its PID file is where that user may write.
      execFileSync('runuser', ['-u', 'munge', '--', 'munged'], { stdio: 'ignore' });
      mungePid = Number(fs.readFileSync('/run/munge/munged.pid', 'utf8'));
      await until(
        'munged',
        () => spawnSync('sh', ['-c', 'munge -n | unmunge'], { stdio: 'ignore' }).status === 0,
        10_000,
      );
    }
    for (const d of ['state', 'spool', 'log']) fs.mkdirSync(path.join(dir, d));
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    fs.writeFileSync(
      conf,
      `# One-node Slurm for tests: root, no systemd, no cgroups, no accounting
ClusterName=mpiloop
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=${ctldPort}
SlurmdPort=${slurmdPort}
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=${srunMpiPlugin}
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
`,
    );
    const env = { ...process.env, SLURM_CONF: conf };
    // In the foreground (-D), so their PIDs are ours to stop.
    for (const [daemon, args] of [
      ['slurmctld', ['-D', '-i']],
      ['slurmd', ['-D']],
    ]) {
      const child = spawn(daemon, args, { env, stdio: 'ignore', detached: true });
      child.unref();
      pids.push(child.pid);
    }
    await until(
      'the Slurm node to be idle',
      () => {
        const r = spawnSync('sinfo', ['-h', '-n', host, '-o', '%T'], { env, encoding: 'utf8', timeout: 5000 });
        return r.stdout?.trim() === 'idle';
      },
      60_000,
    );
    return {
      dir,
      host,
      env: { SLURM_CONF: conf },
      /** Runs a command with SLURM_CONF set, ended after `timeout` ms (SIGTERM, then SIGKILL). */
      cmd(command, { timeout = 90_000, input, env: extra = {} } = {}) {
        return run('timeout', ['-k', '5', String(Math.ceil(timeout / 1000)), ...command], {
          timeout: timeout + 15_000,
          input,
          env: { SLURM_CONF: conf, ...extra },
        });
      },
      stop,
    };
  } catch (e) {
    const logs = ['slurmctld', 'slurmd'].map((d) => {
      try {
        return fs
          .readFileSync(path.join(dir, 'log', `${d}.log`), 'utf8')
          .split('\n')
          .slice(-15)
          .join('\n');
      } catch {
        return '';
      }
    });
    await stop();
    throw new Error(`${e.message}\n${logs.join('\n')}`, { cause: e });
  }
}
