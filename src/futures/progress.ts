// A progress bar on stderr (done/total, rate, time left) for long runs: only
// when stderr is a terminal (or MPI_LOOP_PROGRESS=1 says it reaches one), drawn at most ten times a second, and only once
// the run has lasted a second. Nothing at all otherwise.

import { formatDuration, StatusLine } from '../util/status-line';

const DELAY_MS = 1000;
const REDRAW_MS = 100;

function formatRate(r: number): string {
  if (r >= 1e6) return `${(r / 1e6).toFixed(1)}M/s`;
  if (r >= 1e4) return `${(r / 1e3).toFixed(0)}k/s`;
  if (r >= 10) return `${r.toFixed(0)}/s`;
  return `${r.toFixed(2)}/s`;
}

export class Progress {
  #done = 0;
  #total: number;
  readonly #started = Date.now();
  #drawn = 0;
  readonly #label: string;
  // Drawn even when stderr is no TTY: Progress.maybe decides whether a terminal is reached.
  readonly #status = new StatusLine(process.stderr, true);

  constructor(total: number, label = '') {
    this.#total = total;
    this.#label = label;
  }

  /** A progress bar when stderr is a terminal (or `force` is true); null otherwise or when force is false. */
  static maybe(total: number, force?: boolean, label?: string): Progress | null {
    if (force === false || process.env.MPI_LOOP_PROGRESS === '0') return null;
    // MPI_LOOP_PROGRESS=1: stderr reaches a terminal through mpirun (set by `mpi-loop futures`).
    if (force !== true && !process.stderr.isTTY && process.env.MPI_LOOP_PROGRESS !== '1') return null;
    return new Progress(total, label);
  }

  set total(n: number) {
    this.#total = n;
  }

  advance(n = 1): void {
    this.#done += n;
    const now = Date.now();
    if (now - this.#started < DELAY_MS || now - this.#drawn < REDRAW_MS) return;
    this.#drawn = now;
    this.#draw(now);
  }

  /** The text of the bar (for tests and custom display). */
  line(now = Date.now()): string {
    const elapsed = Math.max((now - this.#started) / 1000, 1e-3);
    const rate = this.#done / elapsed;
    const total = Math.max(this.#total, this.#done);
    const fraction = total > 0 ? this.#done / total : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const left = rate > 0 ? (total - this.#done) / rate : Infinity;
    return (
      `${this.#label}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.#done}/${total} ` +
      `${formatRate(rate)} ${formatDuration(left)} left`
    );
  }

  #draw(now: number): void {
    this.#status.update(this.line(now));
  }

  /** Clears the bar. */
  finish(): void {
    this.#status.clear();
  }
}
