// Collectives of JavaScript values, built on the buffer collectives.
//
// Small values cost ONE collective: every rank contributes a fixed-size slot
// holding the length of its encoded value and, when it fits, the value
// itself. A value that does not fit follows in a second, vector collective
// (counts known from the slots, 8-byte aligned displacements so typed arrays
// decode as views). Every rank must agree on whether that second collective
// runs, so each collective's slots say so where the receiver cannot see it
// alone: scatter's root and alltoall's senders set SLOT_ANY_LARGE. gather
// is the exception: only the root sees the lengths, so it sends them first
// and the values second, as mpi4py does. Slot and receive memory is reused
// across calls; values decoded from reused memory copy their typed arrays.
// bcast sends large typed arrays on their own (detached-buffers.ts): one
// more broadcast each, from the root's array into the arrays the others
// return.
import type { NativeAddon } from '../native/addon';
import { concatEncoded, decode, type Detached, encode } from './codec';
import { allocateReceived, DETACH_FROM } from './detached-buffers';

const INT_MAX = 0x7fffffff;

// Slot layout: length L of the encoded value as uint32 low word + uint16
// high word (bcast carries values over 4 GiB), uint8 flags, 1 byte 0, then
// the L bytes of the value when L <= SLOT_INLINE.
export const SLOT = 256;
export const SLOT_HEAD = 8;
export const SLOT_INLINE = SLOT - SLOT_HEAD;
/** Some rank's value (scatter: some destination's value) travels in the second collective. */
const SLOT_ANY_LARGE = 1;
/**
 * The tag of gather's large values on the shadow communicator: the highest
 * tag MPI guarantees, which the bodies of point-to-point values never use.
 */
export const GATHER_BODY_TAG = 32767;
/** Reused receive memory stays below this; larger receives get their own. */
const REUSE_MAX = 1 << 16;

export const align8 = (n: number): number => (n + 7) & ~7;

const EMPTY = new Uint8Array(0);

/** Module memory reused by one collective at a time (a nested call, e.g. from a deserializer, gets its own). */
class Reusable {
  private memory: Uint8Array;
  private busy = false;

  constructor(bytes: number) {
    this.memory = new Uint8Array(bytes);
  }

  /** `bytes` bytes, and whether they are the reused memory (then release() after use). */
  take(bytes: number): Uint8Array {
    if (this.busy || bytes > REUSE_MAX) return new Uint8Array(bytes);
    if (this.memory.length < bytes) this.memory = new Uint8Array(Math.max(bytes, this.memory.length * 2));
    this.busy = true;
    return this.memory;
  }

  release(m: Uint8Array): void {
    if (m === this.memory) this.busy = false;
  }

  reused(m: Uint8Array): boolean {
    return m === this.memory;
  }
}
/** One slot, exactly: bcast, allgather's send and scatter's receive. */
const slotMemory = new Reusable(SLOT);
const sendMemory = new Reusable(SLOT * 4);
const recvMemory = new Reusable(SLOT * 4);

// gather's slots go through MPI_Gatherv with every count one slot: Open MPI
// runs it as a linear gather (each rank sends straight to the root), where
// its MPI_Gather of 256 bytes per rank is a binomial tree whose inner ranks
// must be scheduled to forward, about twice the time at 4 ranks on 2 cores.
// The counts and displacements are reused: a small typed array fresh from
// `new Int32Array(n)` lives on the JS heap, and the addon's first look at it
// moves it off the heap, which costs more than the collective itself.
let slotCountsFor = 0;
let slotCounts = new Int32Array(0);
let slotDispls = new Int32Array(0);

/** Counts and displacements of one slot per rank, for `size` ranks (read-only). */
function slotLayout(size: number): { counts: Int32Array; displs: Int32Array } {
  if (slotCountsFor !== size) {
    slotCounts = new Int32Array(new ArrayBuffer(4 * size)).fill(SLOT);
    slotDispls = new Int32Array(new ArrayBuffer(4 * size));
    for (let i = 0; i < size; i++) slotDispls[i] = i * SLOT;
    slotCountsFor = size;
  }
  return { counts: slotCounts, displs: slotDispls };
}

/** The first `n` bytes of `m` (m itself when it has exactly that many). */
const exact = (m: Uint8Array, n: number): Uint8Array => (m.length === n ? m : m.subarray(0, n));

/** The encoded values that did not fit in a slot, at aligned offsets (EMPTY where one did). */
function packLarge(
  larges: Uint8Array[],
  size: number,
  caller: string,
): { buf: Uint8Array; counts: Int32Array; displs: Int32Array } {
  const items: Uint8Array[] = [];
  for (let i = 0; i < size; i++) items.push(larges[i] ?? EMPTY);
  return pack(items, caller);
}

/**
 * The encoded bytes of a value, contiguous: a view of the codec's scratch
 * memory (valid until the next encode) or memory of its own.
 */
export function encodeBytes(value: unknown, root: string): Uint8Array {
  const e = encode(value, { root, reuse: true });
  return e.parts.length === 1 ? asBytes(e.parts[0]) : concatEncoded(e);
}

const asBytes = (p: ArrayBufferView): Uint8Array =>
  p instanceof Uint8Array ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength);

export function decodeAt(buf: Uint8Array, offset: number, length: number, copyBuffers = false): unknown {
  return decode(new Uint8Array(buf.buffer, buf.byteOffset + offset, length), copyBuffers ? { copyBuffers } : undefined);
}

/** Displacements (aligned, into `displs` if given) and total for the given per-rank byte counts. */
export function layout(
  counts: Int32Array,
  caller: string,
  displs = new Int32Array(counts.length),
): { displs: Int32Array; total: number } {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    displs[i] = total;
    total = align8(total + counts[i]);
    if (total > INT_MAX) {
      throw new RangeError(
        `${caller}: the values add up to more than 2 GiB, the limit of a collective of values; ` +
          'send large buffers with the Capitalized buffer methods or point to point',
      );
    }
  }
  return { displs, total };
}

export function checkLength(n: number, caller: string): number {
  if (n > INT_MAX)
    throw new RangeError(`${caller}: a value over 2 GiB cannot take part in a collective; send it point to point`);
  return n;
}

// ---- slots ------------------------------------------------------------------

const SLOT_FLAGS = 6;

export function slotLength(s: Uint8Array, at: number): number {
  return (
    ((s[at] | (s[at + 1] << 8) | (s[at + 2] << 16) | (s[at + 3] << 24)) >>> 0) +
    (s[at + 4] | (s[at + 5] << 8)) * 0x100000000
  );
}

/** Writes the slot at `at` for `bytes`; the value goes inline when it fits. */
export function writeSlot(s: Uint8Array, at: number, bytes: Uint8Array, flags: number): void {
  const n = bytes.byteLength;
  s[at] = n;
  s[at + 1] = n >>> 8;
  s[at + 2] = n >>> 16;
  s[at + 3] = n >>> 24;
  const high = Math.floor(n / 0x100000000);
  s[at + 4] = high;
  s[at + 5] = high >>> 8;
  s[at + SLOT_FLAGS] = flags;
  if (n <= SLOT_INLINE) s.set(bytes, at + SLOT_HEAD);
}

/** Receive counts of the second collective: the lengths that did not fit, 0 elsewhere. */
function largeCounts(slots: Uint8Array, size: number): Int32Array {
  const counts = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const n = slotLength(slots, i * SLOT);
    if (n > SLOT_INLINE) counts[i] = n;
  }
  return counts;
}

/** The values of `size` slots, those that did not fit read from `large` at `displs`. */
function unpackSlots(slots: Uint8Array, size: number, large: Uint8Array | null, displs: Int32Array | null): unknown[] {
  const out = new Array<unknown>(size);
  for (let i = 0; i < size; i++) {
    const at = i * SLOT;
    const n = slotLength(slots, at);
    out[i] =
      n <= SLOT_INLINE
        ? decodeAt(slots, at + SLOT_HEAD, n, true)
        : decodeAt(large as Uint8Array, (displs as Int32Array)[i], n);
  }
  return out;
}

/** Concatenates encoded values at aligned offsets. */
export function pack(items: Uint8Array[], caller: string): { buf: Uint8Array; counts: Int32Array; displs: Int32Array } {
  const counts = Int32Array.from(items, (b) => checkLength(b.byteLength, caller));
  const { displs, total } = layout(counts, caller);
  const buf = new Uint8Array(total);
  items.forEach((b, i) => buf.set(b, displs[i]));
  return { buf, counts, displs };
}

// ---- the collectives --------------------------------------------------------

/** Broadcasts into fresh arrays the detached buffers of a value's message received from the root. */
function bcastDetached(N: NativeAddon, comm: number, message: Uint8Array, root: number): Detached | null {
  const detached = allocateReceived(message);
  if (detached !== null) for (const into of detached.bytes) N.bcast(comm, into, root);
  return detached;
}

/** bcast of a value: the root's value on every rank. */
export function bcastValue(N: NativeAddon, comm: number, rank: number, value: unknown, root: number): unknown {
  const view = slotMemory.take(SLOT);
  try {
    if (rank === root) {
      const e = encode(value, { root: 'obj', reuse: true, detachFrom: DETACH_FROM });
      const bytes = e.parts.length === 1 ? asBytes(e.parts[0]) : concatEncoded(e);
      writeSlot(view, 0, bytes, 0);
      N.bcast(comm, view, root);
      if (bytes.byteLength > SLOT_INLINE) N.bcast(comm, bytes, root);
      for (const b of e.detached) N.bcast(comm, b, root);
      return value;
    }
    N.bcast(comm, view, root);
    const n = slotLength(view, 0);
    let message: Uint8Array;
    if (n <= SLOT_INLINE) {
      message = view.subarray(SLOT_HEAD, SLOT_HEAD + n);
    } else {
      message = new Uint8Array(n);
      N.bcast(comm, message, root);
    }
    const detached = bcastDetached(N, comm, message, root);
    // The slot is reused memory: buffers in it are copied out.
    return decode(message, { copyBuffers: message.buffer === view.buffer, detached });
  } finally {
    slotMemory.release(view);
  }
}

/** allgather of values: every rank gets every rank's value, in rank order. */
export function allgatherValues(N: NativeAddon, comm: number, size: number, value: unknown, caller: string): unknown[] {
  const mine = encodeBytes(value, caller);
  checkLength(mine.byteLength, caller);
  const send = slotMemory.take(SLOT);
  const slots = recvMemory.take(SLOT * size);
  try {
    writeSlot(send, 0, mine, 0);
    N.allgather(comm, send, slots);
    let large = false;
    for (let i = 0; i < size; i++) if (slotLength(slots, i * SLOT) > SLOT_INLINE) large = true;
    if (!large) return unpackSlots(slots, size, null, null);
    const counts = largeCounts(slots, size);
    const { displs, total } = layout(counts, caller);
    const buf = new Uint8Array(total);
    N.allgatherv(comm, mine.byteLength > SLOT_INLINE ? mine : EMPTY, buf, counts, displs);
    return unpackSlots(slots, size, buf, displs);
  } finally {
    slotMemory.release(send);
    recvMemory.release(slots);
  }
}

/**
 * gather of values: the list on the root, undefined elsewhere. One gather of
 * slots (a linear one, see slotLayout); a value that does not fit in its slot follows point to point to the
 * root on the communicator's shadow (only its sender and the root know it
 * exists, so no second collective is needed for the common small values).
 */
export function gatherValues(
  N: NativeAddon,
  comm: number,
  rank: number,
  size: number,
  value: unknown,
  root: number,
): unknown[] | undefined {
  const mine = encodeBytes(value, 'obj');
  checkLength(mine.byteLength, 'gather');
  const send = slotMemory.take(SLOT);
  try {
    writeSlot(send, 0, mine, 0);
    // The root decodes its own large value from a copy: mine may be the codec's scratch memory.
    const own = rank === root && mine.byteLength > SLOT_INLINE ? new Uint8Array(mine) : null;
    if (rank !== root) {
      N.gatherv(comm, send, null, null, null, root);
      if (mine.byteLength > SLOT_INLINE) N.send(N.commShadow(comm), mine, root, GATHER_BODY_TAG);
      return undefined;
    }
    const slots = recvMemory.take(SLOT * size);
    try {
      const { counts, displs } = slotLayout(size);
      N.gatherv(comm, send, slots, counts, displs, root);
      const out = new Array<unknown>(size);
      for (let i = 0; i < size; i++) {
        const at = i * SLOT;
        const n = slotLength(slots, at);
        if (n <= SLOT_INLINE) out[i] = decodeAt(slots, at + SLOT_HEAD, n, true);
        else if (own !== null && i === root) out[i] = decode(own);
        else {
          const body = new Uint8Array(n);
          N.recv(N.commShadow(comm), body, i, GATHER_BODY_TAG);
          out[i] = decode(body);
        }
      }
      return out;
    } finally {
      recvMemory.release(slots);
    }
  } finally {
    slotMemory.release(send);
  }
}

/** scatter of values: objs[i] to rank i (objs only read at the root). */
export function scatterValues(
  N: NativeAddon,
  comm: number,
  rank: number,
  size: number,
  objs: unknown[] | undefined,
  root: number,
): unknown {
  const mine = slotMemory.take(SLOT);
  try {
    if (rank !== root) {
      N.scatter(comm, null, mine, root);
      const n = slotLength(mine, 0);
      if (n <= SLOT_INLINE && (mine[SLOT_FLAGS] & SLOT_ANY_LARGE) === 0) return decodeAt(mine, SLOT_HEAD, n, true);
      const large = new Uint8Array(n > SLOT_INLINE ? n : 0);
      N.scatterv(comm, null, null, null, large, root);
      return n > SLOT_INLINE ? decode(large) : decodeAt(mine, SLOT_HEAD, n, true);
    }
    const values = objs as unknown[];
    const slots = sendMemory.take(SLOT * size);
    try {
      // Each value is encoded into the codec's scratch, then copied out before the next.
      const larges: Uint8Array[] = [];
      let anyLarge = 0;
      for (let i = 0; i < size; i++) {
        const bytes = encodeBytes(values[i], `objs[${i}]`);
        checkLength(bytes.byteLength, 'scatter');
        if (bytes.byteLength > SLOT_INLINE) {
          larges[i] = new Uint8Array(bytes); // a copy (Buffer.slice would be a view)
          anyLarge = SLOT_ANY_LARGE;
        }
        writeSlot(slots, i * SLOT, bytes, 0);
      }
      for (let i = 0; i < size; i++) slots[i * SLOT + SLOT_FLAGS] = anyLarge;
      N.scatter(comm, exact(slots, SLOT * size), mine, root);
      if (anyLarge === 0) return decodeAt(mine, SLOT_HEAD, slotLength(mine, 0), true);
      const p = packLarge(larges, size, 'scatter');
      const n = slotLength(mine, 0);
      const large = new Uint8Array(n > SLOT_INLINE ? n : 0);
      N.scatterv(comm, p.buf, p.counts, p.displs, large, root);
      return n > SLOT_INLINE ? decode(large) : decodeAt(mine, SLOT_HEAD, n, true);
    } finally {
      sendMemory.release(slots);
    }
  } finally {
    slotMemory.release(mine);
  }
}

/** alltoall of values: objs[j] goes to rank j; the result holds what rank i sent here at [i]. */
export function alltoallValues(N: NativeAddon, comm: number, size: number, objs: unknown[]): unknown[] {
  const slots = sendMemory.take(SLOT * size);
  const got = recvMemory.take(SLOT * size);
  try {
    const larges: Uint8Array[] = [];
    let anyLarge = 0;
    for (let j = 0; j < size; j++) {
      const bytes = encodeBytes(objs[j], `objs[${j}]`);
      checkLength(bytes.byteLength, 'alltoall');
      if (bytes.byteLength > SLOT_INLINE) {
        larges[j] = new Uint8Array(bytes); // a copy (Buffer.slice would be a view)
        anyLarge = SLOT_ANY_LARGE;
      }
      writeSlot(slots, j * SLOT, bytes, 0);
    }
    // Every rank learns from every sender whether it sends anything large.
    for (let j = 0; j < size; j++) slots[j * SLOT + SLOT_FLAGS] = anyLarge;
    N.alltoall(comm, exact(slots, SLOT * size), got);
    let large = false;
    for (let i = 0; i < size; i++) if ((got[i * SLOT + SLOT_FLAGS] & SLOT_ANY_LARGE) !== 0) large = true;
    if (!large) return unpackSlots(got, size, null, null);
    const send = packLarge(larges, size, 'alltoall');
    const rcounts = largeCounts(got, size);
    const r = layout(rcounts, 'alltoall');
    const rbuf = new Uint8Array(r.total);
    N.alltoallv(comm, send.buf, send.counts, send.displs, rbuf, rcounts, r.displs);
    return unpackSlots(got, size, rbuf, r.displs);
  } finally {
    sendMemory.release(slots);
    recvMemory.release(got);
  }
}
