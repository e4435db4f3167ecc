// Drives a real terminal: a tmux session on a private tmux server, typed into
// with send-keys and read with capture-pane.
import { spawnSync } from 'node:child_process';

const server = `mpi-loop-test-${process.pid}`;

/** Whether tmux can run here; the terminal tests skip, saying so, when it cannot. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
export const noTmuxReason =
  'needs tmux, which is not installed (npm test installs it; Debian: apt-get install -y tmux)';

function tmux(...args) {
  const r = spawnSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

let count = 0;

export class Terminal {
  /**
   * Runs `argv` in a new 120x40 terminal with `env` added; when it ends,
   * the terminal shows "EXIT-STATUS <n>" and stays open.
   */
  constructor(argv, { env = {}, cwd = process.cwd(), columns = 120, rows = 40 } = {}) {
    this.name = `t${process.pid}-${++count}`;
    const assignments = Object.entries(env)
      .map(([k, v]) => `${k}=${sq(v)}`)
      .join(' ');
    const command = `cd ${sq(cwd)} && env ${assignments} ${argv.map(sq).join(' ')}; echo EXIT-STATUS $?; sleep 600`;
    tmux('new-session', '-d', '-s', this.name, '-x', String(columns), '-y', String(rows), `bash -c ${sq(command)}`);
  }

  /** Types text literally, then Enter. */
  type(text) {
    tmux('send-keys', '-t', this.name, '-l', text);
    tmux('send-keys', '-t', this.name, 'Enter');
  }

  /** Sends keys by tmux name: 'C-c', 'C-d', 'Up', 'Tab', ... */
  keys(...keys) {
    tmux('send-keys', '-t', this.name, ...keys);
  }

  /**
   * Everything the terminal has shown (scrollback included), trailing blank
   * lines dropped; with `escapes`, the colour sequences too.
   */
  screen({ escapes = false } = {}) {
    return tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-2000', '-t', this.name).replace(
      /\n+$/,
      '\n',
    );
  }

  /** Waits until the screen matches (a RegExp, or a function of the screen); returns the screen. */
  async waitFor(what, timeout = 60_000) {
    const test = typeof what === 'function' ? what : (s) => what.test(s);
    const deadline = Date.now() + timeout;
    for (;;) {
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Types `text` again every `every` ms until the screen matches `what`, for
   * what the terminal shows only once something else has happened; returns the screen.
   */
  async typeUntil(text, what, { every = 1000, timeout = 60_000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      this.type(text);
      try {
        return await this.waitFor(what, Math.min(every, Math.max(0, deadline - Date.now())));
      } catch (e) {
        if (Date.now() >= deadline) throw e;
      }
    }
  }

  close() {
    try {
      tmux('kill-session', '-t', this.name);
    } catch {
      /* already gone */
    }
  }
}

/** Ends the private tmux server (at the end of a test file). */
export function closeTerminals() {
  spawnSync('tmux', ['-L', server, 'kill-server']);
}

export { processesWith } from './processes.mjs';
