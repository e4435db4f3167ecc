// Values point to point, with MPI's semantics at every size.
//
// A value whose encoded message is at most INLINE_MAX bytes travels as that
// one message on (comm, tag). An object irecv therefore posts a real MPI
// receive of INLINE_MAX bytes (as mpi4py does), and a blocking send matching
// it completes at any size instead of waiting, past the eager limit, for a
// receive that a probe-based irecv never posts.
//
// A larger value travels as a 32-byte large-message header on (comm, tag),
// then its message (the body) on the communicator's shadow with a body tag
// from a per-process counter; the receiver of the header receives the body
// from the same source with that tag, so bodies can never be taken by a
// user's receive and match unambiguously even with several in flight. A
// blocking send copies the body into memory of its own and sends it in the
// background, like a buffered send: it returns before the receiver posts the
// body's receive (which it may only do after the sender's call returns, e.g.
// an irecv from itself, or a receiver that is in a barrier). Background
// bodies are delivered before MPI is finalized (bounded, see FLUSH_MS).
//
// A value with large typed arrays (detached-buffers.ts) always takes the
// large path: after its body, each large array follows on the shadow with
// the same body tag, and the receiver receives each straight into the array
// it returns. isend and sendrecv send them from the arrays' own memory; a
// blocking send copies each once (it returns before they are received).
import { writeSync } from 'node:fs';
import { concatEncoded, decode, decodePrefix, type Detached, type Encoded, encode } from './codec';
import { allocateReceived, checkReceived, DETACH_FROM, isendDetached, recvDetached } from './detached-buffers';
import { LARGE_HEADER_SIZE, readLargeHeader, writeLargeHeader } from './codec/wire-format';
import { addon, beforeMpiFinalize, native, statusRecord } from './environment';
import { Next, Request } from './request';
import type { Status } from './status';

/** Largest encoded value sent as one message; also the size of an object irecv's receive buffer. */
export const INLINE_MAX = 32 * 1024;
/**
 * Body tags cycle below this: MPI guarantees TAG_UB >= 32767, and gather's
 * large values use 32767 (the nonblocking value collectives 32768 and up).
 */
const BODY_TAGS = 32767;
/** How long exit waits for background bodies to be received before finalizing anyway. */
const FLUSH_MS = 30_000;

let lastBodyTag = 0;
const headerScratch = new Uint8Array(LARGE_HEADER_SIZE);
const EMPTY = new Uint8Array(0);
const PROC_NULL = addon().constants.PROC_NULL;

export function nextBodyTag(): number {
  lastBodyTag = (lastBodyTag + 1) % BODY_TAGS;
  return lastBodyTag;
}

// ---- background bodies of blocking sends ----------------------------------

interface Background {
  request: Request<void>;
  dest: number;
  bytes: number;
}
const background = new Set<Background>();
let flushRegistered = false;

/** Sends a large value's body (its own copy) on `shadow` with MPI_Isend, tracked until received and flushed before MPI_Finalize. */
export function sendInBackground(shadow: number, body: Uint8Array, dest: number, bodyTag: number): void {
  trackInBackground(native().isend(shadow, body, dest, bodyTag), dest, body.byteLength);
}

/** Keeps a posted send of a value's part going after the call that posted it has returned. */
function trackInBackground(id: number, dest: number, bytes: number): void {
  const item: Background = {
    request: new Request<void>(id, () => undefined),
    dest,
    bytes,
  };
  background.add(item);
  item.request.wait().then(
    () => background.delete(item),
    (e: unknown) => {
      background.delete(item);
      // Nobody is left to catch this: the send itself has returned long ago.
      writeSync(2, `mpi-loop: sending a ${item.bytes}-byte value to rank ${dest} failed: ${String(e)}\n`);
    },
  );
  if (!flushRegistered) {
    flushRegistered = true;
    beforeMpiFinalize(flushBackground);
  }
}

/**
 * The large-message header of a nonblocking send (isend, sendrecv), sent in
 * the background from a buffer of its own: a blocking send of it would wait
 * for the receive where MPI sends to itself synchronously (MPICH does, even
 * for 32 bytes), and an isend or a sendrecv to this very process would never
 * return.
 */
export function sendHeaderInBackground(
  comm: number,
  bodyBytes: number,
  dest: number,
  tag: number,
  bodyTag: number,
): void {
  sendInBackground(comm, writeLargeHeader(new Uint8Array(LARGE_HEADER_SIZE), bodyBytes, bodyTag), dest, tag);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Waits (polling, so MPI progresses) until every background body is received, at most FLUSH_MS. */
function flushBackground(): void {
  const deadline = Date.now() + FLUSH_MS;
  let pause = 0;
  while (background.size > 0 && Date.now() < deadline) {
    for (const item of background) if (item.request.test()) background.delete(item);
    if (background.size === 0) return;
    if (pause > 0) Atomics.wait(sleeper, 0, 0, pause);
    pause = Math.min(pause + 0.05, 2);
  }
  if (background.size === 0) return;
  const left = [...background].map((b) => `${b.bytes} bytes to rank ${b.dest}`).join(', ');
  writeSync(
    2,
    `mpi-loop: finalizing with values still unreceived after ${FLUSH_MS / 1000} s (${left}): nobody received them\n`,
  );
}

// ---- send -----------------------------------------------------------------

/**
 * MPI_Send of an encoded message. The usual message is one Uint8Array: the
 * addon's plain send takes it for about half a microsecond less than its
 * parts path.
 */
export function sendMessage(comm: number, parts: ArrayBufferView[], dest: number, tag: number): void {
  const N = native();
  if (parts.length === 1 && parts[0] instanceof Uint8Array) N.send(comm, parts[0], dest, tag);
  else N.sendParts(comm, parts, dest, tag);
}

/**
 * sendMessage to every rank of `dests` (the event loop's fan-out of a
 * command). A message of one part goes to all of them in one native call
 * that starts every send and then waits for them together, so a receiver
 * slow to drain its queue holds up none of the others.
 */
export function sendMessageToEach(comm: number, parts: ArrayBufferView[], dests: Int32Array, tag: number): void {
  const [only] = parts;
  if (parts.length === 1 && only instanceof Uint8Array && dests.length > 1) native().sendEach(comm, only, dests, tag);
  else for (const dest of dests) sendMessage(comm, parts, dest, tag);
}

/** True when the encoded value goes as one message on (comm, tag). */
const isInline = (e: Encoded, dest: number): boolean =>
  (e.byteLength <= INLINE_MAX && e.detached.length === 0) || dest === PROC_NULL;

/** Sends the large header announcing `e` (32 bytes: MPI sends it eagerly); returns the body tag. */
function announce(comm: number, e: Encoded, dest: number, tag: number): number {
  const bodyTag = nextBodyTag();
  native().send(comm, writeLargeHeader(headerScratch, e.byteLength, bodyTag), dest, tag);
  return bodyTag;
}

/**
 * announce() for the nonblocking sends: the header goes out as an isend of
 * its own, since an MPI may complete a blocking send to oneself only once
 * it is received.
 */
function announceInBackground(comm: number, e: Encoded, dest: number, tag: number): number {
  const bodyTag = nextBodyTag();
  sendHeaderInBackground(comm, e.byteLength, dest, tag, bodyTag);
  return bodyTag;
}

/** Total bytes of a value's message and its detached buffers (a received value's status count). */
function totalBytes(body: number, detached: Detached | null): number {
  let n = body;
  if (detached !== null) for (const b of detached.bytes) n += b.byteLength;
  return n;
}

/** MPI_Send of a value. */
export function sendValue(comm: number, obj: unknown, dest: number, tag: number): void {
  const N = native();
  const e = encode(obj, { root: 'obj', reuse: true, detachFrom: DETACH_FROM });
  if (isInline(e, dest)) {
    sendMessage(comm, e.parts, dest, tag);
    return;
  }
  const body = concatEncoded(e);
  const bodyTag = announce(comm, e, dest, tag);
  const shadow = N.commShadow(comm);
  sendInBackground(shadow, body, dest, bodyTag);
  // Copies: the caller may change its arrays once send() returns.
  for (const b of e.detached) sendInBackground(shadow, b.slice(), dest, bodyTag);
}

/** Posts the body and the detached buffers of a large value; the last request id (the others are tracked). */
function isendLarge(comm: number, e: Encoded, dest: number, bodyTag: number): number {
  const N = native();
  const shadow = N.commShadow(comm);
  const ids = [N.isendParts(shadow, e.parts, dest, bodyTag), ...isendDetached(shadow, e.detached, dest, bodyTag)];
  // The receiver takes them in order, and each is larger than any eager limit
  // (or is the body, received first): once the last is sent, all are.
  for (let i = 0; i < ids.length - 1; i++)
    trackInBackground(ids[i], dest, i === 0 ? e.byteLength : e.detached[i - 1].byteLength);
  return ids[ids.length - 1];
}

/**
 * MPI_Isend of a value. A large value's header is sent at once (32 bytes:
 * MPI sends it eagerly), its body is the request, so the request completes
 * when both have been sent; the value's buffers must stay unchanged until then.
 */
export function isendValue(comm: number, obj: unknown, dest: number, tag: number): Request<void> {
  const N = native();
  const e = encode(obj, { root: 'obj', detachFrom: DETACH_FROM });
  if (isInline(e, dest)) {
    return new Request<void>(N.isendParts(comm, e.parts, dest, tag), () => undefined);
  }
  const bodyTag = announceInBackground(comm, e, dest, tag);
  return new Request<void>(isendLarge(comm, e, dest, bodyTag), () => undefined, { source: dest, tag });
}

// ---- receive --------------------------------------------------------------

/** Memory for a body: uninitialised (it is overwritten), and its own (decoded views keep it). */
function bodyMemory(bytes: number): Uint8Array {
  return Buffer.allocUnsafeSlow(bytes);
}

/**
 * The value of a message received by probe-receive (status in the status
 * record): a large header is followed by a blocking receive of its body; the
 * status then tells the header's source and tag and the body's size.
 */
export function finishReceived(comm: number, message: ArrayBuffer, status?: Status): unknown {
  const source = statusRecord[0];
  if (source === PROC_NULL) {
    status?.fill(statusRecord);
    return undefined;
  }
  const large = message.byteLength === LARGE_HEADER_SIZE ? readLargeHeader(new Uint8Array(message)) : null;
  if (large === null) {
    status?.fill(statusRecord);
    return decode(message);
  }
  const N = native();
  const tag = statusRecord[1];
  const body = bodyMemory(large.bodyBytes);
  const shadow = N.commShadow(comm);
  N.recv(shadow, body, source, large.bodyTag);
  const detached = recvDetached(shadow, body, source, large.bodyTag);
  statusRecord[0] = source;
  statusRecord[1] = tag;
  statusRecord[2] = totalBytes(large.bodyBytes, detached);
  status?.fill(statusRecord);
  return decode(body, detached === null ? undefined : { detached });
}

// A small value is received into this reused memory by one matched
// probe-and-receive (a larger one into a fresh ArrayBuffer), and decoded in
// place with copies of its buffers. Busy while its message is decoded (a
// deserializer that receives gets the fresh-buffer path). A plain receive
// into scratch the size of the largest value message would be about 1 us
// faster, but a larger message that is not a value's (a buffer sent on the
// same tag) would then be truncated, and Open MPI 4.1 writes a truncated
// rendezvous message past the end of the receive buffer.
const recvScratch = Buffer.allocUnsafeSlow(4096);
let recvScratchBusy = false;
const COPY_BUFFERS = { copyBuffers: true } as const;

/** MPI_Recv of a value. */
export function recvValue(comm: number, source: number, tag: number, status?: Status): unknown {
  const N = native();
  if (recvScratchBusy) return finishReceived(comm, N.probeRecv(comm, source, tag), status);
  const length = N.probeRecvInto(comm, source, tag, recvScratch);
  if (typeof length !== 'number') return finishReceived(comm, length, status);
  if (length === LARGE_HEADER_SIZE) {
    const header = recvScratch.subarray(0, length);
    if (readLargeHeader(header) !== null) return finishReceived(comm, new Uint8Array(header).buffer, status);
  }
  status?.fill(statusRecord);
  recvScratchBusy = true;
  try {
    // Read in place: a view of the scratch per message costs more than the decode of a small value.
    return decodePrefix(recvScratch, length, COPY_BUFFERS);
  } finally {
    recvScratchBusy = false;
  }
}

/** MPI_Sendrecv of values: both directions progress together, so pairs and rings never deadlock. */
export function sendrecvValue(
  comm: number,
  obj: unknown,
  dest: number,
  sendtag: number,
  source: number,
  recvtag: number,
  status?: Status,
): unknown {
  const N = native();
  const e = encode(obj, { root: 'obj', detachFrom: DETACH_FROM });
  let sent: number;
  if (isInline(e, dest)) {
    sent = N.isendParts(comm, e.parts, dest, sendtag);
  } else {
    sent = isendLarge(comm, e, dest, announceInBackground(comm, e, dest, sendtag));
  }
  const value = finishReceived(comm, N.probeRecv(comm, source, recvtag), status);
  while (N.test(sent) === false) {
    /* the peer has posted its receive: this completes */
  }
  return value;
}

/** The receives of detached buffers i, i+1, ... as the stages of a request, then `done`. */
function receiveStaged<T>(
  shadow: number,
  source: number,
  tag: number,
  into: Uint8Array[],
  i: number,
  done: () => T,
): T | Next<T> {
  if (i === into.length) return done();
  return new Next<T>(native().irecv(shadow, into[i], source, tag), (_d, st) => {
    checkReceived(into[i], st.count);
    return receiveStaged(shadow, source, tag, into, i + 1, done);
  });
}

// Receive buffers of irecv, reused: a value decoded from one is copied out
// of it (copyBuffers), so nothing references a buffer once it is back here.
const spare: Uint8Array[] = [];
const SPARE_MAX = 8;

/**
 * MPI_Irecv of a value: a real receive of INLINE_MAX bytes. If it brings a
 * large header, the request goes on with the receive of the body.
 */
export function irecvValue<T>(comm: number, source: number, tag: number): Request<T> {
  const N = native();
  if (source === PROC_NULL) return new Request<T>(N.irecv(comm, EMPTY, source, tag), () => undefined as T);
  // Uninitialised: MPI writes the message, and only the message is read.
  const buf = spare.pop() ?? Buffer.allocUnsafeSlow(INLINE_MAX);
  return new Request<T>(N.irecv(comm, buf, source, tag), (_data, st) => {
    try {
      return valueOrBody<T>(comm, buf.subarray(0, st.count), st, true);
    } finally {
      if (spare.length < SPARE_MAX) spare.push(buf);
    }
  });
}

/**
 * A received message's value, or, for a large header, the next stage: the
 * receive of its body. copyBuffers: the message's memory is reused later.
 */
export function valueOrBody<T>(comm: number, message: Uint8Array, st: Status, copyBuffers: boolean): T | Next<T> {
  if (st.source === PROC_NULL) return undefined as T;
  const large = message.byteLength === LARGE_HEADER_SIZE ? readLargeHeader(message) : null;
  if (large === null) return decode(message, { copyBuffers }) as T;
  const N = native();
  const body = bodyMemory(large.bodyBytes);
  const shadow = N.commShadow(comm);
  const from = st.source;
  return new Next<T>(N.irecv(shadow, body, from, large.bodyTag), (_d, bodyStatus) => {
    const detached = allocateReceived(body);
    const done = (): T => {
      bodyStatus.count = totalBytes(large.bodyBytes, detached);
      return decode(body, detached === null ? undefined : { detached }) as T;
    };
    return detached === null ? done() : receiveStaged(shadow, from, large.bodyTag, detached.bytes, 0, done);
  });
}
