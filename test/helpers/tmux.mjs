// Drives a real terminal: a tmux session on a private tmux server, typed into
// with send-keys and read with capture-pane.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const server = `mpi-loop-test-${process.pid}`;

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
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${sq(v)}`).join(' ');
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

  /** Everything the terminal has shown (scrollback included), trailing blank lines dropped. */
  screen() {
    return tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', this.name).replace(/\n+$/, '\n');
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

  close() {
    try { tmux('kill-session', '-t', this.name); } catch { /* already gone */ }
  }
}

/** Ends the private tmux server (at the end of a test file). */
export function closeTerminals() {
  spawnSync('tmux', ['-L', server, 'kill-server']);
}

/** Processes whose environment contains `needle` (e.g. a job's REPL socket): the ranks and mpirun. */
export function processesWith(needle) {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (!env.includes(needle)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      if (/\) Z /.test(stat)) continue; // a zombie has ended
      found.push({ pid: Number(pid), cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim() });
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}
