// Large buffers of a value as messages of their own (the codec's detached
// buffers, wire-format.ts). A buffer of DETACH_FROM bytes or more is left out
// of the value's message and sent right after it, from the array's own memory
// as one contiguous MPI message (no packing, no derived datatype, so Open MPI
// can use its single-copy path); the receiver allocates the array it will
// return, of the right type and length, and receives straight into it.
// Bodies follow the message on one communicator and tag, in descriptor order:
// MPI never reorders messages of one sender on one communicator and tag.
import { allocateDetached, DecodeError, type Detached, type MemorySource } from './codec';
import { native, statusRecord } from './environment';

/** Buffers of at least this many bytes travel as messages of their own (above every eager limit). */
export const DETACH_FROM = 64 * 1024;

/**
 * Sends each detached buffer to each destination, straight from its memory,
 * and returns once all are sent. With several destinations or buffers all
 * sends are posted at once, so the receivers copy concurrently.
 */
export function sendDetached(
  comm: number,
  detached: readonly Uint8Array[],
  dests: ArrayLike<number> & Iterable<number>,
  tag: number,
): void {
  const N = native();
  if (detached.length === 1 && dests.length === 1) {
    N.send(comm, detached[0], dests[0], tag);
    return;
  }
  const pending: number[] = [];
  for (const dest of dests) for (const bytes of detached) pending.push(N.isend(comm, bytes, dest, tag));
  let error: unknown;
  for (const id of pending) {
    try {
      while (N.test(id) === false) {
        /* MPI progresses the sends; the receivers have their receives posted or soon will */
      }
    } catch (e) {
      error ??= e; // the other sends still complete before this returns
    }
  }
  if (error !== undefined) throw error;
}

/** Posts the sends of the detached buffers to one destination; their request ids, in order. */
export function isendDetached(comm: number, detached: readonly Uint8Array[], dest: number, tag: number): number[] {
  const N = native();
  return detached.map((bytes) => N.isend(comm, bytes, dest, tag));
}

/**
 * Receive memory: recycled from arrays that were garbage-collected (the
 * addon's receiveMemory); fresh memory from an addon built before it existed.
 */
export const receiveMemory: MemorySource = (bytes) => {
  const N = native();
  return typeof N.receiveMemory === 'function'
    ? N.receiveMemory(bytes)
    : (Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer);
};

/**
 * Fresh arrays for the detached buffers of `message` (allocateDetached with
 * the recycled receive memory); null when it has none.
 */
export function allocateReceived(message: ArrayBuffer | Uint8Array): Detached | null {
  return allocateDetached(message, receiveMemory);
}

/** Checks that a detached buffer's receive filled all of it (statusRecord holds the receive's status). */
export function checkReceived(into: Uint8Array, received: number): void {
  if (received !== into.byteLength) {
    throw new DecodeError(`a detached buffer of ${into.byteLength} bytes arrived with ${received} bytes`);
  }
}

/**
 * The detached buffers of `message` (a value's message from `source`),
 * received on (comm, tag) into fresh arrays; null when it has none.
 */
export function recvDetached(
  comm: number,
  message: ArrayBuffer | Uint8Array,
  source: number,
  tag: number,
): Detached | null {
  const d = allocateReceived(message);
  if (d === null) return null;
  const N = native();
  for (const into of d.bytes) {
    N.recv(comm, into, source, tag);
    checkReceived(into, statusRecord[2]);
  }
  return d;
}
