// The doorbell lets an idle worker sleep without polling MPI. MPI offers no
// blocking wait that does not spin, and each timer wake-up costs ~25 us on
// these machines, so a worker polling every millisecond would burn 2-3% of a
// core. Instead, a worker that rank 0 can ring and that has been idle for
// DEEP_AFTER_MS stretches its poll to DEEP_POLL_MICROS; rank 0, when it has
// itself been idle long enough that a worker may be asleep, rings the
// workers it sends commands to before sending the next command, which wakes
// the worker's event loop at once. Rank 0 rings synchronously (its script may never yield):
// - a worker on rank 0's host (same host name and PID namespace) gets a
//   signal, SIGURG, whose default action is to do nothing: one system call,
//   and no FIFO to make at start (a child process for mkfifo) or to remove.
// - a worker on another host gets a byte on its link to rank 0
//   (src/native/heartbeat.h), which its lifeline thread passes on.
// The slow poll stays as a safety net: a lost ring costs at most
// DEEP_POLL_MICROS, never a hang. Nothing is left on disk.
// Commands reach most workers through a parent in the fan-out tree
// (fanout.ts), which may itself have been held up (descheduled on a busy
// host) long enough for its children to fall into deep sleep while rank 0
// was busy sending: so a worker on rank 0's host rings its children on that
// host when it passes on a command after an idle spell of its own. Rank 0
// rings only its own children: the ring travels down with the command.
import fs from 'node:fs';
import os from 'node:os';
import { native } from '../mpi/environment';

/** A worker goes to deep sleep after this long without a command. */
export const DEEP_AFTER_MS = 50;
/** Its poll period in deep sleep. */
export const DEEP_POLL_MICROS = 100_000;
/** Rank 0 rings when it has sent nothing for this long (under DEEP_AFTER_MS, so no sleeper is missed). */
const RING_AFTER_MS = DEEP_AFTER_MS / 2;
const SIGNAL = 'SIGURG';

export { doorbellsEnabled } from './settings';
import { rank0Host } from './settings';

/** What a worker announces to rank 0 on the status communicator. */
export interface DoorbellAnnouncement {
  k: 'd';
  rank: number;
  /** 0: no bell on rank 0's host (rank 0 rings over the link, if any). */
  pid: number;
  host: string;
  pidNamespace: string;
}

function pidNamespace(): string {
  try {
    return fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

/** True when this worker shares rank 0's host (known once the loop has started). */
export function onRank0Host(): boolean {
  return rank0Host === undefined || rank0Host === os.hostname();
}

// ---- worker side -------------------------------------------------------------

export interface WorkerDoorbell {
  announcement: DoorbellAnnouncement;
  /** True once rank 0 has rung once (it does on learning of the bell): only then may the worker sleep deeply. */
  connected(): boolean;
  /** A ring that came over the link. */
  rung(): void;
  close(): void;
}

/** The worker's doorbell. `onRing` runs (on the event loop) at every ring; `onConnect` at the first. */
export function openWorkerDoorbell(rank: number, onRing: () => void, onConnect: () => void): WorkerDoorbell {
  const local = onRank0Host();
  let isConnected = false;
  const rung = (): void => {
    if (!isConnected) {
      isConnected = true;
      onConnect();
    }
    onRing();
  };
  if (local) process.on(SIGNAL, rung);
  return {
    announcement: { k: 'd', rank, pid: local ? process.pid : 0, host: os.hostname(), pidNamespace: pidNamespace() },
    connected: () => isConnected,
    rung,
    close: () => {
      process.off(SIGNAL, rung);
    },
  };
}

// ---- rank 0 side -------------------------------------------------------------

/** Pids to ring, rung when nothing was sent to them for RING_AFTER_MS (so no sleeper is missed). */
class Bells {
  pids: number[] = [];
  private lastSend = 0;

  /** Rings every bell if they may be asleep; true after an idle spell. */
  ringIfIdle(): boolean {
    const now = performance.now();
    const idle = now - this.lastSend > RING_AFTER_MS;
    if (idle) for (const pid of this.pids) ring(pid);
    this.lastSend = now;
    return idle;
  }
}

// Rank 0: the workers it can signal, [rank, pid]; it rings only those among its
// children in the fan-out tree (all of them with the flat fan-out), and they
// pass the ring on: a ring costs rank 0 O(log P) signals, not P - 1.
const table: Array<[number, number]> = [];
const bells = new Bells();

function ring(pid: number): void {
  try {
    process.kill(pid, SIGNAL);
  } catch {
    // The worker has ended: the launcher reports it.
  }
}

/**
 * Keeps a worker's bell if rank 0 can signal it, and rings once to say so;
 * `child`: one of the workers rank 0 sends commands to.
 */
export function connectDoorbell(a: DoorbellAnnouncement, child: boolean): void {
  if (!a.pid || a.host !== os.hostname() || a.pidNamespace !== pidNamespace()) return;
  table.push([a.rank, a.pid]);
  if (child) bells.pids.push(a.pid);
  ring(a.pid);
}

/** Rank 0's bells as [rank, pid]: sent to the workers (on its host, they can signal each other too). */
export function bellTable(): Array<[number, number]> {
  return table;
}

/** Called before every command: rings every doorbell if workers may be asleep. True after an idle spell. */
export function ringIfIdle(): boolean {
  const idle = bells.ringIfIdle();
  if (idle) native().linksRing();
  return idle;
}

export function closeDoorbells(): void {
  bells.pids.length = 0;
  table.length = 0;
}

// ---- a worker's children in the fan-out tree -----------------------------------

const childBells = new Bells();

/** A worker in rank 0's table (so on its host) keeps the bells of its children in it. */
export function useChildBells(table: Array<[number, number]>, rank: number, children: Iterable<number>): void {
  const byRank = new Map(table);
  childBells.pids = byRank.has(rank) ? [...children].flatMap((c) => byRank.get(c) ?? []) : [];
}

/** Before passing a command on: rings the children if they may be asleep. */
export function ringChildrenIfIdle(): void {
  if (childBells.pids.length > 0) childBells.ringIfIdle();
}
