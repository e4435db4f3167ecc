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
 * and returns once all are sent. A buffer goes to every destination at once,
 * so the receivers copy concurrently, and the wait is MPI's (it yields the
 * core on a host with more ranks than cores); the receivers take the buffers
 * one after another, in order, so nothing is lost by sending them so.
 */
export function sendDetached(comm: number, detached: readonly Uint8Array[], dests: Int32Array, tag: number): void {
  const N = native();
  for (const bytes of detached) {
    if (dests.length === 1) N.send(comm, bytes, dests[0], tag);
    else N.sendEach(comm, bytes, dests, tag);
  }
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
