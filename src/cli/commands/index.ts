// The subcommands of `mpi-loop`, in the order --help lists them. To add one:
// a file here exporting name, summary, usage and run(argv), and a line below.
import type { Command } from '../command';
import * as attach from './attach';
import * as bench from './bench';
import * as futures from './futures';
import * as info from './info';
import * as repl from './repl';
import * as run from './run';

export const commands: readonly Command[] = [run, repl, attach, info, bench, futures];

export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}
