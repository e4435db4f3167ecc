// The command ring: how commands reach the workers on rank 0's host. Rank 0
// writes each command once into a ring of slots in shared memory (an MPI
// shared-memory window over the host's ranks) and bumps one counter; every
// worker on the host reads it from there and bumps its own counter. Rank 0's
// cost per command is then one copy, whatever the number of workers, where
// sending it costs one MPI message per worker; a worker's is one copy, where
// matching and receiving a message costs more.
//
// - A command's parts (its header and encoded arguments, protocol.ts) are
//   copied into the slot one after another: the bytes a worker would receive
//   over MPI. A command that does not fit a slot, or has large arguments sent
//   after it, goes as MPI messages; its slot says so, so each worker
//   receives it from rank 0 in its turn and the order holds.
// - Rank 0 waits only when the ring is full, and then until half of it is
//   free, so the waits, and the counters it reads, are few.
// - A worker that finds the ring empty for its whole spin sleeps in Node's
//   event loop on an MPI receive (the poller, doorbells): it raises its
//   sleep flag and the sleepers count, and rank 0, which reads that count
//   after each command, sends each sleeper one wake-up message. Rank 0 claims
//   a flag (and takes its worker out of the count) before sending, so a
//   worker that finds a command after raising its flag knows whether a
//   wake-up is on its way, and rank 0 passes over the flags only while some
//   sleeper is unclaimed.
// Workers on other hosts get commands over MPI (fanout.ts).
import { copyParts } from '../mpi/codec';
import { COMM_TYPE_SHARED, Comm } from '../mpi/comm';
import { native } from '../mpi/environment';
import { oversubscribed } from '../mpi/host';
import { Request } from '../mpi/request';
import { setRingReaders } from './fanout';
import { settleFanout } from './settings';
import { rank } from './state';

/** Command communicator tag of the wake-up messages. */
export const WAKE_TAG = 2;

/** Int32 words in a cache line: each counter has a line of its own. */
const LINE = 16;
/** Slot size in bytes: a length word, then the command. */
const SLOT_BYTES = 256;
/** The largest command a slot holds. */
const RECORD_MAX = SLOT_BYTES - 4;
/** A power of two, so that a counter that wraps still indexes the right slot. */
const SLOTS = 4096;
/** The length word of a slot whose command comes as MPI messages. */
const VIA_MPI = -1;
// Words: [0] commands written, [1] sleepers rank 0 has not yet claimed;
// reader i (its rank on the host):
// [LINE * i] commands read, [LINE * i + 1] its sleep flag.
const WRITTEN = 0;
const SLEEPERS = 1;
const AWAKE = 0;
const ASLEEP = 1;
const WAKING = 2;

interface Ring {
  node: number;
  win: number;
  /** The whole ring, as counters and slot lengths, and as bytes. */
  words: Int32Array;
  bytes: Uint8Array;
  /** Byte offset of the first slot. */
  slots: number;
  /** Command-communicator ranks of the readers, by their rank on the host (index 0: rank 0). */
  readers: Int32Array;
  /** The same without rank 0: read by every call(), so made once. */
  workers: Int32Array;
}

let ring: Ring | null = null;
/** The command communicator, for the wake-up messages. */
let commandHandle = -1;

// Rank 0
let written = 0;
/** Every reader has read at least this many commands. */
let readByAll = 0;
const wakeMessage = new Uint8Array(1);

// Worker
let line = 0;
let read = 0;
/** Commands whose slot said they come as MPI messages. */
let readViaMpi = 0;

/**
 * Collective over the command communicator (once, when the loop's
 * communicators are made): the ranks on rank 0's host share a ring; the
 * others take no part in it.
 */
export function openCommandRing(command: number): void {
  const N = native();
  const node = N.commSplitType(command, COMM_TYPE_SHARED, rank, null);
  const members = Int32Array.from(new Comm(node).allgather(rank));
  const shares = members[0] === 0 && members.length > 1;
  const reads = shares && rank !== 0;
  // Every rank learns who reads the ring, for the fan-out of the others.
  const flags = new Comm(command).allgather(reads);
  const readers = Int32Array.from(flags.flatMap((f, r) => (f ? [r] : [])));
  setRingReaders(readers, flags.length);
  settleFanout(flags.length - readers.length);
  if (!shares) {
    N.commFree(node);
    return;
  }
  const hostRank = N.commRank(node);
  const slots = LINE * 4 * members.length;
  const win = N.winAllocate(hostRank === 0 ? slots + SLOTS * SLOT_BYTES : 0, 1, [], node, true);
  const [memory] = N.winSharedQuery(win, 0);
  ring = {
    node,
    win,
    words: new Int32Array(memory),
    bytes: new Uint8Array(memory),
    slots,
    readers: members,
    workers: members.subarray(1),
  };
  // MPI does not promise zeroed memory: the counters and flags start at 0
  // before any rank of the host reads them.
  if (hostRank === 0) ring.words.fill(0, 0, slots / 4);
  new Comm(node).barrier();
  line = LINE * hostRank;
  commandHandle = command;
}

/** Frees the ring (collective over its host's ranks; after Quit, which is the last command). */
export function closeCommandRing(): void {
  if (!ring) return;
  const N = native();
  N.winFree(ring.win);
  N.commFree(ring.node);
  ring = null;
}

/** The command-communicator ranks that read the ring (not rank 0), or none. */
export function ringReaders(): Int32Array {
  return ring ? ring.workers : NO_READERS;
}
const NO_READERS = new Int32Array(0);

/** True on a worker that takes its commands from the ring. */
export const readsRing = (): boolean => ring !== null && rank !== 0;

/** @internal A worker's count of the commands it has taken from the ring, and of those that came as MPI messages. */
export const ringTally = (): { read: number; viaMpi: number } => ({ read, viaMpi: readViaMpi });

// ---- rank 0 ------------------------------------------------------------------

/**
 * Writes a command's parts into the ring when they fit a slot (true); else,
 * or with null, the mark that says the command comes as MPI messages, which
 * rank 0 sends next (false).
 */
export function postCommand(parts: readonly ArrayBufferView[] | null): boolean {
  const r = ring!;
  if (((written - readByAll) | 0) >= SLOTS) waitForSpace(r);
  const at = r.slots + (written & (SLOTS - 1)) * SLOT_BYTES;
  let length = VIA_MPI;
  if (parts !== null) {
    let n = 0;
    for (const p of parts) n += p.byteLength;
    if (n <= RECORD_MAX) length = copyParts(parts, r.bytes, at + 4) - at - 4;
  }
  r.words[at >> 2] = length;
  written = (written + 1) | 0;
  Atomics.store(r.words, WRITTEN, written);
  if (Atomics.load(r.words, SLEEPERS) > 0) wakeSleepers(r);
  return length !== VIA_MPI;
}

/**
 * Between checks for space, rank 0 sleeps this long: half the ring takes the
 * readers far longer to drain (2,048 commands), and a spin would take a core
 * from them where the ranks outnumber the cores.
 */
const SPACE_CHECK_MICROS = 100;

/** Waits until every reader has read at least half the ring's commands. */
function waitForSpace(r: Ring): void {
  const least = (written - SLOTS / 2) | 0;
  const count = r.readers.length - 1;
  native().waitWords(r.words, LINE, LINE, count, least, Infinity, false, false, SPACE_CHECK_MICROS);
  readByAll = least;
}

function wakeSleepers(r: Ring): void {
  const N = native();
  for (let i = 1; i < r.readers.length; i++) {
    if (Atomics.compareExchange(r.words, LINE * i + 1, ASLEEP, WAKING) === ASLEEP) {
      Atomics.sub(r.words, SLEEPERS, 1);
      N.send(commandHandle, wakeMessage, r.readers[i], WAKE_TAG);
    }
  }
}

// ---- workers -----------------------------------------------------------------

/** What takeCommand found: a command, the mark of one sent as MPI messages, or nothing within the spin. */
export type Taken = Uint8Array | 'mpi' | null;

/**
 * The next command, copied into `scratch` (at least RECORD_MAX bytes; a view
 * of it), if one is written within `spinMicros` (see waitWords).
 */
export function takeCommand(spinMicros: number, scratch: Uint8Array): Taken {
  const r = ring!;
  if (Atomics.load(r.words, WRITTEN) === read) {
    // Oversubscribed, no MPI call gives the core away here: the spin does.
    if (!native().waitWords(r.words, WRITTEN, 0, 1, (read + 1) | 0, spinMicros, oversubscribed, oversubscribed))
      return null;
  }
  const at = r.slots + (read & (SLOTS - 1)) * SLOT_BYTES;
  const length = r.words[at >> 2];
  let taken: Taken = 'mpi';
  if (length === VIA_MPI) readViaMpi++;
  else {
    taken = scratch.subarray(0, length);
    taken.set(r.bytes.subarray(at + 4, at + 4 + length));
  }
  read = (read + 1) | 0;
  Atomics.store(r.words, line, read);
  return taken;
}

/**
 * Sleeps in Node's event loop until rank 0 has written a command: raises
 * this worker's sleep flag, then waits for rank 0's wake-up message unless
 * a command has come meanwhile and rank 0 has not claimed the flag.
 */
export async function sleepUntilCommand(): Promise<void> {
  const r = ring!;
  Atomics.store(r.words, line + 1, ASLEEP);
  Atomics.add(r.words, SLEEPERS, 1);
  const raced = Atomics.load(r.words, WRITTEN) !== read;
  if (raced && Atomics.compareExchange(r.words, line + 1, ASLEEP, AWAKE) === ASLEEP) {
    Atomics.sub(r.words, SLEEPERS, 1);
    return;
  }
  // Rank 0 has claimed the flag (and taken this worker out of the count) or will.
  await new Request<unknown>(native().iprobeRecv(commandHandle, 0, WAKE_TAG), () => undefined).wait();
  Atomics.store(r.words, line + 1, AWAKE);
}
