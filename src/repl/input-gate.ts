// Feeds the REPL its input one piece at a time. Node's REPL reads the next
// line while an asynchronous one still runs (on a pipe), and mpi-loop's own
// commands (.px, .ranks) are asynchronous too; but call() must not start a
// command while the previous one is still running on rank 0. So: from a pipe,
// one line, then wait for the prompt; from a terminal, keystrokes go straight
// through (Node pauses them during `await`) except while a command holds them.
import { PassThrough } from 'node:stream';

export class InputGate {
  /** What the REPL reads. */
  readonly input = new PassThrough();
  private readonly queue: Buffer[] = [];
  private partial = '';
  private waiting = false;
  private held = false;
  private ended = false;

  constructor(
    source: NodeJS.ReadableStream,
    private readonly terminal: boolean,
  ) {
    Object.assign(this.input, { isTTY: terminal });
    // readline puts a terminal in raw mode through its input: pass that on to a real one.
    const tty = source as Partial<NodeJS.ReadStream>;
    if (typeof tty.setRawMode === 'function') {
      Object.assign(this.input, {
        setRawMode: (mode: boolean) => {
          tty.setRawMode!(mode);
          return this.input;
        },
      });
      // (Node's REPL leaves raw mode while code runs and restores what isRaw said before.)
      Object.defineProperty(this.input, 'isRaw', { get: () => tty.isRaw });
    }
    source.on('data', (chunk: Buffer | string) => this.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    source.on('end', () => this.end());
    source.on('error', () => this.end());
  }

  private push(chunk: Buffer): void {
    if (this.terminal) {
      // A command cannot be interrupted, and a Ctrl-C must never wait for later.
      if (this.held && chunk.includes(3)) return;
      if (this.held) this.queue.push(chunk);
      else this.input.write(chunk);
      return;
    }
    const text = this.partial + chunk.toString();
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.queue.push(Buffer.from(`${line}\n`));
    this.feed();
  }

  private end(): void {
    if (this.partial) this.queue.push(Buffer.from(`${this.partial}\n`));
    this.partial = '';
    this.ended = true;
    this.feed();
  }

  get holding(): boolean {
    return this.held;
  }

  /** A command runs: keystrokes wait until the prompt is back. */
  hold(): void {
    this.held = true;
  }

  /** The REPL shows its prompt again: it can take the next input. */
  ready(): void {
    this.held = false;
    this.waiting = false;
    setImmediate(() => this.feed());
  }

  private feed(): void {
    if (this.terminal) {
      while (!this.held && this.queue.length > 0) this.input.write(this.queue.shift()!);
    } else if (!this.waiting && this.queue.length > 0) {
      this.waiting = true;
      this.input.write(this.queue.shift()!);
    }
    if (this.ended && this.queue.length === 0 && !this.waiting && !this.held && !this.input.writableEnded)
      this.input.end();
  }
}
