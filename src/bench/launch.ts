// Runs one launch under mpirun and reads rank 0's BENCH-RESULT line (or, for the standalone scripts, its JSON line).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findMpirun, launchOptions, type Mpirun } from '../util/mpirun';
import { packageRoot, registerPath } from '../util/package-root';
import { baselineSources, rankMain } from './paths';
import type { Figures, Launch } from './types';

let found: Mpirun | undefined;
/** mpirun and its options for `ranks` (more ranks than cores are allowed: the suite compares, it does not pin). */
function mpirunHead(ranks: number): string[] {
  found ??= findMpirun() ?? { path: 'mpirun', flavour: 'unknown', version: '' };
  return [found.path, ...launchOptions(found.flavour, ranks, { oversubscribe: true })];
}

export interface Tools {
  /** Directory of the built C baselines. */
  cDir: string;
  python: string;
}

/** The argv of a launch (mpirun first), for running and for the results file. */
export function commandOf(benchmark: string, l: Launch, tools: Tools): string[] {
  const head = [...mpirunHead(l.ranks), ...(l.unpinned ? ['--bind-to', 'none'] : [])];
  switch (l.impl) {
    case 'mpi-loop': {
      const preload = l.loop ? ['-r', registerPath] : [];
      const node = [...head, process.execPath, ...(l.nodeFlags ?? []), ...preload];
      if (l.script) return [...node, path.join(packageRoot, l.script), ...(l.args as string[])];
      return [...node, rankMain, benchmark, JSON.stringify(l.args)];
    }
    case 'c': {
      const [program, ...args] = l.args as string[];
      return [...head, path.join(tools.cDir, program), ...args];
    }
    case 'python': {
      const [script, ...args] = l.args as string[];
      const module = l.pythonModule ? ['-m', l.pythonModule] : [];
      return [...head, tools.python, ...module, path.join(baselineSources, script), ...args];
    }
  }
}

/** A shell-readable form of a command. */
export const shellText = (argv: string[]): string =>
  argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');

export class LaunchError extends Error {}

/** The numeric fields of the last line of `stdout` that is a JSON object (the standalone bench scripts' output). */
function jsonFigures(stdout: string): Figures | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) return undefined;
  const figures: Figures = {};
  for (const [k, v] of Object.entries(JSON.parse(line) as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isFinite(v)) figures[k] = v;
  }
  return figures;
}

/** Runs the command; resolves with rank 0's figures, or rejects with the reason and the output's tail. */
export function runLaunch(
  argv: string[],
  timeoutMs: number,
  output: Launch['output'] = 'bench-result',
): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...process.env, OMPI_MCA_rmaps_base_oversubscribe: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout ends every rank
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new LaunchError(`${argv[0]}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const json = output === 'json';
      const line = stdout.split('\n').find((l) => (json ? l.startsWith('{') : l.startsWith('BENCH-RESULT ')));
      const tail = (stderr.trim() || stdout.trim()).split('\n').slice(-6).join('\n');
      if (timedOut) return reject(new LaunchError(`timed out after ${timeoutMs / 1000} s\n${tail}`));
      if (code !== 0 || !line) {
        const missing = json ? ', no JSON line' : ', no BENCH-RESULT line';
        return reject(new LaunchError(`exit ${code ?? signal}${line ? '' : missing}\n${tail}`));
      }
      try {
        resolve(json ? jsonFigures(stdout)! : (JSON.parse(line.slice('BENCH-RESULT '.length)) as Figures));
      } catch (e) {
        reject(new LaunchError(`unreadable result line: ${line} (${(e as Error).message})`));
      }
    });
  });
}
