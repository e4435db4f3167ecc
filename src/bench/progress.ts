// The progress line on stderr: rewritten in place on a terminal; otherwise
// one line per finished benchmark, so logs stay readable.
export class Progress {
  private readonly tty: boolean;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly quiet = false) {
    this.tty = Boolean(stream.isTTY) && !quiet;
  }

  /** The current step (terminal only). */
  update(text: string): void {
    if (!this.tty) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.shown = true;
  }

  /** A benchmark finished. */
  done(text: string): void {
    if (this.quiet) return;
    if (this.tty && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
    this.stream.write(`${text}\n`);
  }

  clear(): void {
    if (this.tty && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
