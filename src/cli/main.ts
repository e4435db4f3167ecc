#!/usr/bin/env node
// `mpi-loop <command> [args]`: dispatches to the subcommands in commands/.
import { CommandError, isHelp, UsageError } from './command';
import { commands, findCommand } from './commands/index';
import { packageVersion } from './paths';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: mpi-loop <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`mpi-loop <command> --help\` for a command's options.
Options: -h, --help (this text), -v, --version.
`;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write('mpi-loop: missing a command (run mpi-loop --help for the list)\n');
    return 2;
  }
  if (isHelp(first)) {
    process.stdout.write(overview());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const helpFor = first === 'help' ? rest[0] : undefined;
  if (first === 'help' && helpFor === undefined) {
    process.stdout.write(overview());
    return 0;
  }
  const command = findCommand(helpFor ?? first);
  if (!command) {
    process.stderr.write(`mpi-loop: unknown command "${helpFor ?? first}" (run mpi-loop --help for the list)\n`);
    return 2;
  }
  if (helpFor !== undefined || isHelp(rest[0])) {
    process.stdout.write(withNewline(command.usage));
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`mpi-loop ${command.name}: ${e.message} (see mpi-loop ${command.name} --help)\n`);
      return 2;
    }
    if (e instanceof CommandError) {
      process.stderr.write(`mpi-loop ${command.name}: ${e.message}\n`);
      return e.status;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`mpi-loop: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
