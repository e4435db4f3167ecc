// The command line each rank runs, and quoting for printing it.
import { registerPath } from './paths';

/** `node -r <this package's register.js> [script args...]`: no script starts the REPL on rank 0. */
export function nodeCommand(script?: string, args: string[] = []): string[] {
  return [process.execPath, '-r', registerPath, ...(script ? [script, ...args] : [])];
}

/** Quotes an argument for a POSIX shell, when it needs it. */
export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
