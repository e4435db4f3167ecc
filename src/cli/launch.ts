// The command line each rank runs, quoting for printing it, and running a
// script under the event loop (`run`, `futures`).
import fs from 'node:fs';
import path from 'node:path';
import { parseLaunchArgs } from './args';
import { CommandError, UsageError } from './command';
import { startJob } from './job';
import { launchLayout } from './layout';
import { requireMpirun } from './mpirun';
import { registerPath } from './paths';

/** `node -r <this package's register.js> [script args...]`: no script starts the REPL on rank 0. */
export function nodeCommand(script?: string, args: string[] = []): string[] {
  return [process.execPath, '-r', registerPath, ...(script ? [script, ...args] : [])];
}

/** Quotes an argument for a POSIX shell, when it needs it. */
export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * `mpirun -n N [machine options] [mpirun options] node -r register script [args]`,
 * or with --dry-run its command line; resolves to the job's exit status.
 */
export async function runScriptJob(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseLaunchArgs(argv, { script: true, ownFlags: ['--dry-run'] });
  if (!parsed.script) throw new UsageError('missing the script to run');
  const script = path.resolve(parsed.script);
  if (!fs.existsSync(script)) throw new CommandError(`script not found: ${parsed.script}`, 2);
  const mpirun = requireMpirun();
  const layout = launchLayout(mpirun, parsed.n, parsed.mpirunOptions, env);
  const args = [...layout.options, '-n', String(layout.n), ...parsed.mpirunOptions, ...nodeCommand(script, parsed.scriptArgs)];
  if (parsed.flags.has('--dry-run')) {
    process.stdout.write(`${[mpirun.path, ...args].map(quote).join(' ')}\n`);
    return 0;
  }
  return startJob(mpirun.path, args, { stdio: 'inherit', env }).done;
}
