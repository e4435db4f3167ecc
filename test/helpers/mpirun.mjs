// Runs a fixture under a real mpirun and collects its output and exit status.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (name) => path.join(root, 'test', 'fixtures', name);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** mpirun's own options for this machine: oversubscribe, root, quiet. */
export function mpirunOptions(n) {
  const opts = ['-n', String(n), '--oversubscribe'];
  if (isRoot) opts.push('--allow-run-as-root');
  return opts;
}

/**
 * Runs `mpirun -n N <command...>`. Resolves with { code, signal, stdout,
 * stderr, ms }; kills the whole job after `timeout` ms (and says so in
 * `timedOut`), so a hang fails the test instead of the suite.
 */
export function mpirun(n, command, { env = {}, timeout = 60_000, input, cwd = root } = {}) {
  return run('mpirun', [...mpirunOptions(n), ...command], { env, timeout, input, cwd });
}

/** Runs `mpirun -n N node <args...>`. */
export function mpinode(n, args, options) {
  return mpirun(n, [process.execPath, ...args], options);
}

export function run(file, args, { env = {}, timeout = 60_000, input, cwd = root } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(file, args, {
      cwd,
      env: { ...process.env, OMPI_MCA_rmaps_base_oversubscribe: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
    if (input !== undefined) child.stdin.end(input); else child.stdin.end();
  });
}

/** Lines of stdout that start with a tag, e.g. "RESULT ". */
export function tagged(stdout, tag) {
  return stdout.split('\n').filter((l) => l.startsWith(tag)).map((l) => l.slice(tag.length));
}

export const cores = os.availableParallelism?.() ?? os.cpus().length;

/** Lines "KEY value" of stdout as { KEY: value }, the value parsed as JSON when it is JSON. */
export function keyed(stdout) {
  const out = {};
  for (const line of stdout.split('\n')) {
    const m = /^([A-Z_]+) (.*)$/.exec(line);
    if (m) { try { out[m[1]] = JSON.parse(m[2]); } catch { out[m[1]] = m[2]; } }
  }
  return out;
}
