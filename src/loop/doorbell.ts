// The doorbell lets an idle worker sleep without polling MPI. MPI offers no
// blocking wait that does not spin, and each timer wake-up costs ~20 us here,
// so a worker polling every millisecond would burn 2% of a core. Instead, a
// worker on rank 0's host that has been idle for DEEP_AFTER_MS stretches its
// poll to DEEP_POLL_MICROS and listens on a Unix socket; rank 0, when it has
// itself been idle long enough that a worker may be asleep, writes one byte
// to every worker's socket before sending the next command, which wakes the
// worker's event loop at once. The slow poll stays as a safety net: a lost
// ring costs at most DEEP_POLL_MICROS, never a hang.
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

/** What a worker announces to rank 0 on the status communicator. */
export interface DoorbellAnnouncement { k: 'd'; rank: number; path: string; host: string }

// ---- worker side -------------------------------------------------------------

export interface WorkerDoorbell {
  /** The announcement to send to rank 0. */
  announcement: DoorbellAnnouncement;
  /** True once rank 0 has connected (only then may the worker sleep deeply). */
  connected(): boolean;
  close(): void;
}

/** Opens the worker's socket; `onRing` runs (on the event loop) when rank 0 rings, `onConnect` when it connects. */
export function openWorkerDoorbell(rank: number, onRing: () => void, onConnect: () => void): WorkerDoorbell {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpi-loop-doorbell-'));
  const socketPath = path.join(dir, `rank-${rank}.sock`);
  let isConnected = false;
  const server = net.createServer((socket) => {
    isConnected = true;
    socket.on('data', onRing);
    onConnect();
    socket.on('error', () => { /* rank 0 went away: the job is ending */ });
    socket.unref();
  });
  server.on('error', () => { /* no doorbell: the worker keeps polling */ });
  server.listen(socketPath);
  server.unref();
  const cleanup = (): void => { fs.rmSync(dir, { recursive: true, force: true }); };
  process.once('exit', cleanup);
  return {
    announcement: { k: 'd', rank, path: socketPath, host: os.hostname() },
    connected: () => isConnected,
    close: () => { server.close(); cleanup(); },
  };
}

// ---- rank 0 side -------------------------------------------------------------

/** Whether workers open doorbells (MPI_LOOP_DOORBELL=0 turns them off). */
export const doorbellsEnabled = process.env.MPI_LOOP_DOORBELL !== '0';

const bells: net.Socket[] = [];
const ONE_BYTE = Buffer.from([1]);
let lastSend = 0;

/** Connects to a worker's doorbell if it is on this host. */
export function connectDoorbell(a: DoorbellAnnouncement): void {
  if (a.host !== os.hostname()) return;
  const socket = net.connect(a.path);
  socket.on('error', () => {
    const i = bells.indexOf(socket);
    if (i >= 0) bells.splice(i, 1);
  });
  socket.setNoDelay?.(true);
  socket.unref();
  bells.push(socket);
}

/** Called before every command: rings every doorbell if workers may be asleep; true if it did. */
export function ringIfIdle(): boolean {
  const now = performance.now();
  const idle = now - lastSend > RING_AFTER_MS;
  if (idle) {
    for (const socket of bells) if (socket.writable) socket.write(ONE_BYTE);
  }
  lastSend = now;
  return idle;
}

export function closeDoorbells(): void {
  for (const socket of bells.splice(0)) socket.destroy();
}
