// Nothing left behind: a job that is killed (as a timeout kills it: every
// process at once, or by losing a worker) leaves no mpi-loop files in the
// temporary directory. Each job gets a TMPDIR of its own, so other jobs on
// the machine cannot confuse the count.
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture, mpirunOptions, mpirunPath, root } from './helpers/mpirun.mjs';

const register = path.join(root, 'dist', 'register.js');
const ours = (dir) => fs.readdirSync(dir).filter((name) => name.startsWith('mpi-loop-'));

async function until(what, check, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts mpirun -n N node -r register <fixture> in its own process group, with TMPDIR = a fresh directory. */
function startJob(t, n, name, env = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'job-tmp-'));
  const child = spawn(mpirunPath, [...mpirunOptions(n), process.execPath, '-r', register, fixture(name)], {
    cwd: root,
    env: { ...process.env, ...env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const job = { tmp, stdout: '', stderr: '', exited: false, code: null };
  child.stdout.on('data', (d) => {
    job.stdout += d;
  });
  child.stderr.on('data', (d) => {
    job.stderr += d;
  });
  job.closed = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      job.exited = true;
      job.code = code ?? signal;
      resolve();
    }),
  );
  job.killAll = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* gone */
    }
  };
  t.teardown(async () => {
    if (!job.exited) {
      job.killAll('SIGKILL');
      await job.closed;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  return job;
}

test('a running job whose workers sleep keeps no mpi-loop files; killing every process leaves nothing', async (t) => {
  const job = startJob(t, 3, 'sleeper.mjs');
  await until('the loop to start', () => /READY 3/.test(job.stdout) || job.exited);
  t.false(job.exited, job.stderr);
  // Past the point where idle workers go to deep sleep (their wake-up path is
  // a connection and a signal, never a file), the directory is still clean.
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.deepEqual(ours(job.tmp), []);
  job.killAll('SIGKILL');
  await job.closed;
  t.deepEqual(ours(job.tmp), []);
});

test('a job ended by a killed worker leaves no mpi-loop files', async (t) => {
  const job = startJob(t, 3, 'fault-worker-exit.mjs', { FAULT: 'kill' });
  await until('the job to end', () => job.exited, 60_000);
  t.not(job.code, 0);
  t.deepEqual(ours(job.tmp), []);
});
