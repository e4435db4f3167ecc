// The command line each rank runs, the mpirun command of a job, quoting for
// printing it, and running a script under the event loop (`run`, `futures`).
import fs from 'node:fs';
import path from 'node:path';
import { type LaunchArgs, parseLaunchArgs } from './args';
import { outputTtySetting } from './colour';
import { CommandError, UsageError } from './command';
import { startJob } from './job';
import { launchLayout } from './layout';
import { type Mpirun, requireMpirun } from './mpirun';
import { registerPath } from '../util/package-root';

/** `node -r <this package's register.js> [script args...]`: no script starts the REPL on rank 0. */
export function nodeCommand(script?: string, args: string[] = []): string[] {
  return [process.execPath, '-r', registerPath, ...(script ? [script, ...args] : [])];
}

/** Quotes an argument for a POSIX shell, when it needs it. */
export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The one place a job's mpirun command is built (run, futures, repl):
 * `mpirun [machine options] -n N [mpirun options] node -r register [script args]`,
 * and the environment for it. The ranks' output goes to this process's stdout
 * (directly or relayed): whether that is a terminal decides their colours.
 */
export function jobCommand(
  mpirun: Mpirun,
  parsed: LaunchArgs,
  node: string[],
  env: NodeJS.ProcessEnv = process.env,
): { args: string[]; env: NodeJS.ProcessEnv; n: number } {
  const layout = launchLayout(mpirun, parsed.n, parsed.mpirunOptions, env);
  const colour = outputTtySetting(mpirun, process.stdout.isTTY === true);
  const args = [...layout.options, ...colour.options, '-n', String(layout.n), ...parsed.mpirunOptions, ...node];
  return { args, env: { ...env, ...colour.env }, n: layout.n };
}

/**
 * Runs `script` under the event loop at N ranks, or with --dry-run prints its
 * command line; resolves to the job's exit status.
 */
export async function runScriptJob(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseLaunchArgs(argv, { script: true, ownFlags: ['--dry-run'] });
  if (!parsed.script) throw new UsageError('missing the script to run');
  const script = path.resolve(parsed.script);
  if (!fs.existsSync(script)) throw new CommandError(`script not found: ${parsed.script}`, 2);
  const mpirun = requireMpirun();
  const job = jobCommand(mpirun, parsed, nodeCommand(script, parsed.scriptArgs), env);
  if (parsed.flags.has('--dry-run')) {
    process.stdout.write(`${[mpirun.path, ...job.args].map(quote).join(' ')}\n`);
    return 0;
  }
  return startJob(mpirun.path, job.args, { stdio: 'inherit', env: job.env }).done;
}
