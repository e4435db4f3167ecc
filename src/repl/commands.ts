// The REPL's own commands: .px (ipyparallel's %px), .ranks, .help, .detach.
import type repl from 'node:repl';
import { replCall as call } from './context';
import { formatValue } from './format';
import { helpText } from './help';
import { pxRun, rankInfo, type PxRecord, type RankRecord } from './remote';

export interface CommandOptions {
  colors: boolean;
  detach?: () => void;
  /** An asynchronous command starts: input waits for the prompt. */
  onStart: () => void;
}

/** Lines labelled `[rank k]`: the rank's output, then its value (unless undefined after output). */
export function formatPx(records: PxRecord[]): string {
  const out: string[] = [];
  for (const r of records) {
    const label = `[rank ${r.rank}]`;
    const printed = r.output.replace(/\n$/, '');
    if (printed) for (const line of printed.split('\n')) out.push(`${label} ${line}`);
    if (!(r.undefinedValue && printed)) {
      for (const line of r.value.split('\n')) out.push(`${label} ${line}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export function formatRanks(records: RankRecord[]): string {
  const rows = [['rank', 'host', 'pid'], ...records.map((r) => [String(r.rank), r.host, String(r.pid)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return `${rows
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** Runs an asynchronous command, prints its text or its error, then gives the prompt back. */
function runAsync(server: repl.REPLServer, options: CommandOptions, work: () => Promise<string>): void {
  options.onStart();
  work()
    .then(
      (text) => {
        server.output.write(text);
      },
      (e: unknown) => {
        server.output.write(`${formatValue(e, options.colors)}\n`);
      },
    )
    .finally(() => server.displayPrompt());
}

export function registerCommands(server: repl.REPLServer, options: CommandOptions): void {
  server.defineCommand('px', {
    help: "Run code on every rank and print each rank's output and value as [rank k]",
    action(code: string) {
      if (!code.trim()) {
        server.output.write('usage: .px <code>   (runs the code on every rank)\n');
        server.displayPrompt();
        return;
      }
      runAsync(server, options, async () => formatPx((await call(pxRun, code, options.colors))!));
    },
  });
  server.defineCommand('ranks', {
    help: 'List the ranks with their host and process id',
    action() {
      runAsync(server, options, async () => formatRanks(call(rankInfo)!));
    },
  });
  server.defineCommand('help', {
    help: 'Show the commands and how code reaches the other ranks',
    action() {
      server.output.write(helpText(options.detach !== undefined));
      server.displayPrompt();
    },
  });
  if (options.detach) {
    const detach = options.detach;
    server.defineCommand('detach', {
      help: 'Leave this terminal; the job and other terminals go on',
      action() {
        detach();
      },
    });
  }
}
