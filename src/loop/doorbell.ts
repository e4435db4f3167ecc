// The doorbell lets an idle worker sleep without polling MPI. MPI offers no
// blocking wait that does not spin, and each timer wake-up costs ~25 us on
// these machines, so a worker polling every millisecond would burn 2-3% of a
// core. Instead, a worker on rank 0's host that has been idle for
// DEEP_AFTER_MS stretches its poll to DEEP_POLL_MICROS and waits on a FIFO;
// rank 0, when it has itself been idle long enough that a worker may be
// asleep, writes one byte to every worker's FIFO before sending the next
// command, which wakes the worker's event loop at once. A FIFO, because rank
// 0 can open and write it synchronously (its script may never yield to the
// event loop). The slow poll stays as a safety net: a lost ring costs at most
// DEEP_POLL_MICROS, never a hang.
// Nothing is left behind when a job is killed: the FIFO's directory is removed
// as soon as rank 0 has opened it (open descriptors outlive the name), and
// workers on other hosts than rank 0's make none.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A worker goes to deep sleep after this long without a command. */
export const DEEP_AFTER_MS = 50;
/** Its poll period in deep sleep. */
export const DEEP_POLL_MICROS = 100_000;
/** Rank 0 rings when it has sent nothing for this long (under DEEP_AFTER_MS, so no sleeper is missed). */
const RING_AFTER_MS = DEEP_AFTER_MS / 2;

export { doorbellsEnabled } from './settings';
import { rank0Host } from './settings';

/** A FIFO rank 0 has not opened by then is removed anyway (rank 0 collects them for 10 s at start). */
const UNCLAIMED_MS = 20_000;

/** What a worker announces to rank 0 on the status communicator. */
export interface DoorbellAnnouncement {
  k: 'd';
  rank: number;
  path: string;
  host: string;
}

// ---- worker side -------------------------------------------------------------

export interface WorkerDoorbell {
  announcement: DoorbellAnnouncement;
  /** True once rank 0 has rung once (it does on opening): only then may the worker sleep deeply. */
  connected(): boolean;
  close(): void;
}

/**
 * Makes the worker's FIFO. `onRing` runs (on the event loop) at every ring;
 * `onConnect` at the first. Returns null where FIFOs cannot be made.
 */
export function openWorkerDoorbell(rank: number, onRing: () => void, onConnect: () => void): WorkerDoorbell | null {
  // Rank 0 can only ring a FIFO on its own host.
  if (rank0Host !== undefined && rank0Host !== os.hostname()) return null;
  let dir: string | undefined;
  let unclaimed: NodeJS.Timeout | undefined;
  const cleanup = (): void => {
    if (unclaimed) clearTimeout(unclaimed);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    process.off('exit', cleanup);
  };
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-doorbell-'));
    const fifo = path.join(dir, `rank-${rank}`);
    execFileSync('mkfifo', ['-m', '0600', fifo], { stdio: 'ignore' });
    const readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    // A writer of our own keeps the FIFO from reporting end-of-file when rank 0 closes it.
    const keepOpenFd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const reader = new net.Socket({ fd: readFd, readable: true, writable: false });
    let isConnected = false;
    reader.on('data', () => {
      if (!isConnected) {
        isConnected = true;
        // Rank 0 holds it open now: the name is no longer needed.
        cleanup();
        onConnect();
      }
      onRing();
    });
    reader.on('error', () => {
      /* no doorbell: the worker keeps polling */
    });
    reader.unref();
    process.on('exit', cleanup);
    unclaimed = setTimeout(cleanup, UNCLAIMED_MS);
    unclaimed.unref();
    return {
      announcement: { k: 'd', rank, path: fifo, host: os.hostname() },
      connected: () => isConnected,
      close: () => {
        reader.destroy();
        try {
          fs.closeSync(keepOpenFd);
        } catch {
          /* closed */
        }
        cleanup();
      },
    };
  } catch {
    cleanup();
    return null;
  }
}

// ---- rank 0 side -------------------------------------------------------------

const bells: number[] = [];
const ONE_BYTE = Buffer.from([1]);
let lastSend = 0;

function ring(fd: number): void {
  try {
    fs.writeSync(fd, ONE_BYTE);
  } catch {
    // EAGAIN: the FIFO is full of unread rings, so the worker is awake anyway.
  }
}

/** Opens a worker's FIFO if it is on this host, and rings once to say so. */
export function connectDoorbell(a: DoorbellAnnouncement): void {
  if (!a.path || a.host !== os.hostname()) return;
  try {
    const fd = fs.openSync(a.path, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    bells.push(fd);
    ring(fd);
  } catch {
    // Not reachable from here: that worker keeps polling.
  }
}

/** Called before every command: rings every doorbell if workers may be asleep. True after an idle spell. */
export function ringIfIdle(): boolean {
  const now = performance.now();
  const idle = now - lastSend > RING_AFTER_MS;
  if (idle) for (const fd of bells) ring(fd);
  lastSend = now;
  return idle;
}

export function closeDoorbells(): void {
  for (const fd of bells.splice(0)) {
    try {
      fs.closeSync(fd);
    } catch {
      /* closed */
    }
  }
}
