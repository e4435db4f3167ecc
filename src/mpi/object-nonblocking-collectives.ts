// Nonblocking collectives of JavaScript values (ibcast, igather, ...): the
// blocking forms' fixed-size slots travel in ONE nonblocking collective,
// posted at the call, so every rank posts its collectives in the order the
// program calls them, whatever else is outstanding. A value that does not
// fit its slot travels point to point on the communicator's shadow, with a
// tag every rank draws from the same per-communicator counter (above the
// tags of large point-to-point values): senders post it at the call and
// leave it in the background, receivers post it once the slots tell them
// its length. Posting order then never matters, so any number of value
// collectives may be outstanding and each completes on its own.
import type { NativeAddon } from '../native/addon';
import { decode } from './codec';
import { addon } from './environment';
import {
  SLOT,
  SLOT_HEAD,
  SLOT_INLINE,
  checkLength,
  decodeAt,
  encodeBytes,
  slotLength,
  writeSlot,
} from './object-collectives';
import { sendInBackground } from './object-p2p';
import { Next, Request } from './request';

/**
 * Body tags of the nonblocking value collectives: SPAN tags from SPAN up
 * (large point-to-point values use 0..SPAN-2, blocking gather's SPAN-1).
 */
const SPAN = 32768;
const sequence = new Map<number, number>();

/** The body tag of the next value collective on `comm` (the same on every rank). */
function bodyTag(comm: number): number {
  const seq = sequence.get(comm) ?? 0;
  sequence.set(comm, (seq + 1) % SPAN);
  const tag = SPAN + seq;
  const ub = addon().constants.TAG_UB;
  if (tag > ub) {
    throw new RangeError(
      `nonblocking value collectives need MPI tags up to ${2 * SPAN - 1}; this MPI's TAG_UB is ${ub}`,
    );
  }
  return tag;
}

interface Encoded {
  slot: Uint8Array;
  /** The encoded value when it does not fit the slot (memory of its own). */
  body: Uint8Array | null;
}

function encodeSlot(
  value: unknown,
  root: string,
  caller: string,
  into: Uint8Array = new Uint8Array(SLOT),
  at = 0,
): Encoded {
  const bytes = encodeBytes(value, root);
  checkLength(bytes.byteLength, caller);
  writeSlot(into, at, bytes, 0);
  // A copy: the codec's scratch memory is reused by the next encode.
  return { slot: into, body: bytes.byteLength > SLOT_INLINE ? new Uint8Array(bytes) : null };
}

/**
 * Receives the bodies of `sources` (lengths from their slots) one after
 * another, each as a stage of the request, then returns done(bodies).
 */
function receiveBodies<T>(
  N: NativeAddon,
  comm: number,
  tag: number,
  sources: Array<[number, number]>,
  bodies: Map<number, Uint8Array>,
  done: () => T,
): T | Next<T> {
  const step = (k: number): T | Next<T> => {
    if (k === sources.length) return done();
    const [source, length] = sources[k];
    const body = new Uint8Array(length);
    bodies.set(source, body);
    return new Next<T>(N.irecv(N.commShadow(comm), body, source, tag), () => step(k + 1));
  };
  return step(0);
}

/** The sources whose slot (in `slots`) says their value is large, `self` excepted. */
function largeSources(slots: Uint8Array, size: number, self: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < size; i++) {
    const n = slotLength(slots, i * SLOT);
    if (i !== self && n > SLOT_INLINE) out.push([i, n]);
  }
  return out;
}

function unpack(slots: Uint8Array, size: number, bodies: Map<number, Uint8Array>): unknown[] {
  const out = new Array<unknown>(size);
  for (let i = 0; i < size; i++) {
    const n = slotLength(slots, i * SLOT);
    out[i] = n <= SLOT_INLINE ? decodeAt(slots, i * SLOT + SLOT_HEAD, n, true) : decode(bodies.get(i) as Uint8Array);
  }
  return out;
}

export function ibcastValue<T>(
  N: NativeAddon,
  comm: number,
  rank: number,
  size: number,
  value: T,
  root: number,
): Request<T> {
  const tag = bodyTag(comm);
  if (rank === root) {
    const e = encodeSlot(value, 'obj', 'ibcast');
    if (e.body) {
      const shadow = N.commShadow(comm);
      for (let r = 0; r < size; r++) if (r !== root) sendInBackground(shadow, e.body, r, tag);
    }
    return new Request<T>(N.ibcast(comm, e.slot, root), () => value);
  }
  const slot = new Uint8Array(SLOT);
  return new Request<T>(N.ibcast(comm, slot, root), () => {
    const n = slotLength(slot, 0);
    if (n <= SLOT_INLINE) return decodeAt(slot, SLOT_HEAD, n, true) as T;
    const bodies = new Map<number, Uint8Array>();
    return receiveBodies(N, comm, tag, [[root, n]], bodies, () => decode(bodies.get(root) as Uint8Array) as T);
  });
}

/** igather; `then` maps the root's list (reductions fold it). */
export function igatherValues<R>(
  N: NativeAddon,
  comm: number,
  rank: number,
  size: number,
  value: unknown,
  root: number,
  then: (values: unknown[]) => R,
): Request<R | undefined> {
  const tag = bodyTag(comm);
  const e = encodeSlot(value, 'obj', 'igather');
  if (rank !== root) {
    if (e.body) sendInBackground(N.commShadow(comm), e.body, root, tag);
    return new Request<R | undefined>(N.igather(comm, e.slot, null, root), () => undefined);
  }
  const slots = new Uint8Array(SLOT * size);
  return new Request<R | undefined>(N.igather(comm, e.slot, slots, root), () => {
    const bodies = new Map<number, Uint8Array>();
    if (e.body) bodies.set(rank, e.body);
    return receiveBodies(N, comm, tag, largeSources(slots, size, rank), bodies, () =>
      then(unpack(slots, size, bodies)),
    );
  });
}

/** iallgather; `then` maps every rank's list. */
export function iallgatherValues<R>(
  N: NativeAddon,
  comm: number,
  rank: number,
  size: number,
  value: unknown,
  then: (values: unknown[]) => R,
): Request<R> {
  const tag = bodyTag(comm);
  const e = encodeSlot(value, 'obj', 'iallgather');
  if (e.body) {
    const shadow = N.commShadow(comm);
    for (let r = 0; r < size; r++) if (r !== rank) sendInBackground(shadow, e.body, r, tag);
  }
  const slots = new Uint8Array(SLOT * size);
  return new Request<R>(N.iallgather(comm, e.slot, slots), () => {
    const bodies = new Map<number, Uint8Array>();
    if (e.body) bodies.set(rank, e.body);
    return receiveBodies(N, comm, tag, largeSources(slots, size, rank), bodies, () =>
      then(unpack(slots, size, bodies)),
    );
  });
}

/** iscatter: objs[i] to rank i (objs only read at the root). */
export function iscatterValues<T>(
  N: NativeAddon,
  comm: number,
  rank: number,
  size: number,
  objs: unknown[] | undefined,
  root: number,
): Request<T> {
  const tag = bodyTag(comm);
  const mine = new Uint8Array(SLOT);
  let own: Uint8Array | null = null;
  let sendSlots: Uint8Array | null = null;
  if (rank === root) {
    const values = objs as unknown[];
    sendSlots = new Uint8Array(SLOT * size);
    const shadow = N.commShadow(comm);
    for (let i = 0; i < size; i++) {
      const e = encodeSlot(values[i], `objs[${i}]`, 'iscatter', sendSlots, i * SLOT);
      if (!e.body) continue;
      if (i === root) own = e.body;
      else sendInBackground(shadow, e.body, i, tag);
    }
  }
  return new Request<T>(N.iscatter(comm, sendSlots, mine, root), () => {
    const n = slotLength(mine, 0);
    if (n <= SLOT_INLINE) return decodeAt(mine, SLOT_HEAD, n, true) as T;
    if (own) return decode(own) as T;
    const bodies = new Map<number, Uint8Array>();
    return receiveBodies(N, comm, tag, [[root, n]], bodies, () => decode(bodies.get(root) as Uint8Array) as T);
  });
}

/** ialltoall: objs[j] to rank j; the result holds what rank i sent here at [i]. */
export function ialltoallValues<T>(
  N: NativeAddon,
  comm: number,
  rank: number,
  size: number,
  objs: unknown[],
  then: (values: unknown[]) => T,
): Request<T> {
  const tag = bodyTag(comm);
  const slots = new Uint8Array(SLOT * size);
  const shadow = N.commShadow(comm);
  const bodies = new Map<number, Uint8Array>();
  for (let j = 0; j < size; j++) {
    const e = encodeSlot(objs[j], `objs[${j}]`, 'ialltoall', slots, j * SLOT);
    if (!e.body) continue;
    if (j === rank) bodies.set(rank, e.body);
    else sendInBackground(shadow, e.body, j, tag);
  }
  const got = new Uint8Array(SLOT * size);
  return new Request<T>(N.ialltoall(comm, slots, got), () =>
    receiveBodies(N, comm, tag, largeSources(got, size, rank), bodies, () => then(unpack(got, size, bodies))),
  );
}
