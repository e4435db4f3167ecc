// Runs a fixture under a real mpirun and collects its output and exit status.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findMpirun, launchOptions } from '../../dist/util/mpirun.js';
import { descendants } from './processes.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (name) => path.join(root, 'test', 'fixtures', name);

// The installed mpirun (Open MPI or MPICH) and the options it needs here.
const found = findMpirun();
export const mpirunPath = found?.path ?? 'mpirun';
export const mpirunFlavour = found?.flavour ?? 'unknown';

/** mpirun's own options for N ranks on this machine (more ranks than cores allowed). */
export function mpirunOptions(n) {
  return launchOptions(mpirunFlavour, n, { oversubscribe: true });
}

/**
 * Runs `mpirun -n N <command...>`. Resolves with { code, signal, stdout,
 * stderr, ms }; kills the whole job after `timeout` ms (and says so in
 * `timedOut`), so a hang fails the test instead of the suite. A job Open MPI
 * failed to start (see run()) is launched once more.
 */
export function mpirun(n, command, { env = {}, timeout = 60_000, input, cwd = root } = {}) {
  return run(mpirunPath, [...mpirunOptions(n), ...command], { env, timeout, input, cwd });
}

/** Runs `mpirun -n N node <args...>`. */
export function mpinode(n, args, options) {
  return mpirun(n, [process.execPath, ...args], options);
}

/**
 * Open MPI's sign that a rank could not reach its local daemon inside
 * MPI_Init (seen, rarely, on a crowded machine): the job failed before its
 * scripts ran, and its other ranks may wait in MPI_Init until killed.
 */
const openMpiStartFailure = /OPAL ERROR: Unreachable in file \S*client\.c/;

export async function run(file, args, options) {
  const r = await start(file, args, options).done;
  if (!r.startFailed) return r;
  process.stderr.write(
    `test helper: Open MPI could not start a rank (${openMpiStartFailure.source}); launching once more\n`,
  );
  return start(file, args, options).done;
}

/** Starts `mpirun -n N node <args...>` without waiting for it: see start(). */
export function startMpinode(n, args, { env = {}, timeout = 60_000, cwd = root } = {}) {
  return start(mpirunPath, [...mpirunOptions(n), process.execPath, ...args], { env, timeout, cwd });
}

/**
 * Starts `file args` in a process group of its own (so that the job, and only
 * it, can be ended by its PID). Returns { pid, done, stdout(), waitForStdout(re) }:
 * `done` resolves as run() does; waitForStdout resolves with whether stdout
 * matched `re` before `timeout` ms passed or the process ended.
 */
export function start(file, args, { env = {}, timeout = 60_000, input, cwd = root } = {}) {
  const started = Date.now();
  const child = spawn(file, args, {
    cwd,
    env: { ...process.env, OMPI_MCA_rmaps_base_oversubscribe: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '',
    stderr = '',
    timedOut = false,
    ended = false;
  const watchers = new Set();
  const notify = () => {
    for (const w of watchers) w();
  };
  child.stdout.on('data', (d) => {
    stdout += d;
    notify();
  });
  // The ranks too, by PID: Open MPI gives each its own process group.
  const killJob = () => {
    for (const pid of [...descendants(child.pid), -child.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  const watchStart = file === mpirunPath && mpirunFlavour === 'Open MPI';
  let startFailed = false;
  child.stderr.on('data', (d) => {
    stderr += d;
    // The new chunk and what came just before it: the line may arrive in pieces.
    if (watchStart && !startFailed && openMpiStartFailure.test(stderr.slice(-(d.length + 200)))) {
      startFailed = true;
      killJob();
    }
  });
  const timer = setTimeout(() => {
    timedOut = true;
    killJob();
  }, timeout);
  const done = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ended = true;
      notify();
      resolve({ code, signal, stdout, stderr, timedOut, startFailed, ms: Date.now() - started });
    });
  });
  if (input !== undefined) child.stdin.end(input);
  else child.stdin.end();
  const waitForStdout = (re, wait = 60_000) =>
    new Promise((resolve) => {
      const finish = (matched) => {
        watchers.delete(check);
        clearTimeout(limit);
        resolve(matched);
      };
      const check = () => {
        if (re.test(stdout)) finish(true);
        else if (ended) finish(false);
      };
      const limit = setTimeout(() => finish(false), wait);
      watchers.add(check);
      check();
    });
  return { pid: child.pid, done, stdout: () => stdout, stderr: () => stderr, waitForStdout };
}

/** Lines of stdout that start with a tag, e.g. "RESULT ". */
export function tagged(stdout, tag) {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(tag))
    .map((l) => l.slice(tag.length));
}

export const cores = os.availableParallelism?.() ?? os.cpus().length;

/** Lines "KEY value" of stdout as { KEY: value }, the value parsed as JSON when it is JSON. */
export function keyed(stdout) {
  const out = {};
  for (const line of stdout.split('\n')) {
    const m = /^([A-Z_]+) (.*)$/.exec(line);
    if (m) {
      try {
        out[m[1]] = JSON.parse(m[2]);
      } catch {
        out[m[1]] = m[2];
      }
    }
  }
  return out;
}
