// One line of status on a terminal stream, rewritten in place (cut to the
// terminal's width); on anything else, nothing but the lines given to done().

export class StatusLine {
  readonly #stream: NodeJS.WriteStream;
  readonly #interactive: boolean;
  #shown = false;

  /** interactive: draw even if the stream is not a TTY (e.g. it reaches one through mpirun). */
  constructor(stream: NodeJS.WriteStream = process.stderr, interactive = Boolean(stream.isTTY)) {
    this.#stream = stream;
    this.#interactive = interactive;
  }

  get interactive(): boolean {
    return this.#interactive;
  }

  /** Replaces the line (interactive streams only). */
  update(text: string): void {
    if (!this.#interactive) return;
    const width = Math.max(20, (this.#stream.columns || 80) - 1);
    this.#stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.#shown = true;
  }

  /** Clears the line, then writes `text` as a line of its own (on any stream). */
  done(text: string): void {
    this.clear();
    this.#stream.write(`${text}\n`);
  }

  clear(): void {
    if (this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}

/** A duration for humans: 42s, 3m05s, 2h07m (rounded up to the whole second). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
