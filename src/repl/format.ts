// How the REPL shows values and errors. A RemoteError shows its remote stack
// (what went wrong on the other rank) and not rank 0's own frames, which only
// say where call() was.
import { inspect } from 'node:util';
import { RemoteError } from '../index';

function remoteErrorText(e: RemoteError): string {
  const stack = e.stack ?? `${e.name}: ${e.message}`;
  const cut = stack.indexOf('\n    --- local stack ---');
  const body = cut >= 0 ? stack.slice(0, cut) : stack;
  const others =
    e.errors.length > 1
      ? `\n${e.errors
          .slice(1)
          .map((r) => `    --- ${r.message}`)
          .join('\n')}`
      : '';
  return body + others;
}

export function formatValue(value: unknown, colors: boolean): string {
  if (value instanceof RemoteError) return remoteErrorText(value);
  return inspect(value, { colors, showProxy: true });
}
