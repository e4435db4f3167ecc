// What a subcommand of `mpi-loop` provides. A new subcommand is one file in
// commands/ exporting a Command, and one line in commands/index.ts.

export interface Command {
  name: string;
  /** One line for `mpi-loop --help`. */
  summary: string;
  /** The text of `mpi-loop <name> --help`. */
  usage: string;
  /** Runs the subcommand with the arguments after its name; resolves with the exit status. */
  run(argv: string[]): Promise<number>;
}

/** Bad usage: `mpi-loop` prints the message on one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure with a one-line reason and an exit status (no stack is printed). */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

export const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';
