// Taking standard input for the REPL. When stdin is not a terminal Node
// evaluates all of it as one script (its "eval stdin" mode) right after the
// preload; the REPL keeps the real stream and leaves Node an empty one.
import { Readable } from 'node:stream';
import { isatty } from 'node:tty';

export function takeStdin(): NodeJS.ReadStream {
  const real = process.stdin;
  if (!isatty(0)) {
    const empty = Readable.from([]) as unknown as NodeJS.ReadStream;
    Object.defineProperty(process, 'stdin', { value: empty, configurable: true, enumerable: true, writable: true });
  }
  return real;
}
