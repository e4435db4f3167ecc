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
import { writeSync } from 'node:fs';
import { concatEncoded, decode, encode } from './codec';
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
  const item: Background = {
    request: new Request<void>(native().isend(shadow, body, dest, bodyTag), () => undefined),
    dest,
    bytes: body.byteLength,
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

/** MPI_Send of a value. */
export function sendValue(comm: number, obj: unknown, dest: number, tag: number): void {
  const N = native();
  const e = encode(obj, { root: 'obj', reuse: true });
  if (e.byteLength <= INLINE_MAX || dest === PROC_NULL) {
    sendMessage(comm, e.parts, dest, tag);
    return;
  }
  const body = concatEncoded(e);
  const bodyTag = nextBodyTag();
  N.send(comm, writeLargeHeader(headerScratch, body.byteLength, bodyTag), dest, tag);
  sendInBackground(N.commShadow(comm), body, dest, bodyTag);
}

/**
 * MPI_Isend of a value. A large value's header is sent at once (32 bytes:
 * MPI sends it eagerly), its body is the request, so the request completes
 * when both have been sent; the value's buffers must stay unchanged until then.
 */
export function isendValue(comm: number, obj: unknown, dest: number, tag: number): Request<void> {
  const N = native();
  const e = encode(obj, { root: 'obj' });
  if (e.byteLength <= INLINE_MAX || dest === PROC_NULL) {
    return new Request<void>(N.isendParts(comm, e.parts, dest, tag), () => undefined);
  }
  const bodyTag = nextBodyTag();
  N.send(comm, writeLargeHeader(headerScratch, e.byteLength, bodyTag), dest, tag);
  return new Request<void>(N.isendParts(N.commShadow(comm), e.parts, dest, bodyTag), () => undefined, {
    source: dest,
    tag,
  });
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
  N.recv(N.commShadow(comm), body, source, large.bodyTag);
  statusRecord[1] = tag;
  status?.fill(statusRecord);
  return decode(body);
}

// A small value is received into this reused memory after a probe, and
// decoded with copies of its buffers: a probe plus a receive into memory the
// addon already knows costs less than a matched probe-receive into a fresh
// ArrayBuffer. Busy while its message is decoded (a deserializer that
// receives gets the fresh-buffer path).
const recvScratch = Buffer.allocUnsafeSlow(4096);
let recvScratchBusy = false;

/** MPI_Recv of a value. */
export function recvValue(comm: number, source: number, tag: number, status?: Status): unknown {
  const N = native();
  if (recvScratchBusy) return finishReceived(comm, N.probeRecv(comm, source, tag), status);
  N.probe(comm, source, tag);
  const from = statusRecord[0];
  const bytes = statusRecord[2];
  if (from === PROC_NULL || bytes > recvScratch.byteLength) {
    // The probed message is the next one from (from, tag): MPI keeps messages in order.
    return finishReceived(comm, N.probeRecv(comm, from, statusRecord[1]), status);
  }
  N.recv(comm, recvScratch, from, statusRecord[1]);
  const message = recvScratch.subarray(0, statusRecord[2]);
  if (message.byteLength === LARGE_HEADER_SIZE && readLargeHeader(message) !== null) {
    return finishReceived(comm, new Uint8Array(message).buffer, status);
  }
  status?.fill(statusRecord);
  recvScratchBusy = true;
  try {
    return decode(message, { copyBuffers: true });
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
  const e = encode(obj, { root: 'obj' });
  let sent: number;
  if (e.byteLength <= INLINE_MAX || dest === PROC_NULL) {
    sent = N.isendParts(comm, e.parts, dest, sendtag);
  } else {
    const bodyTag = nextBodyTag();
    N.send(comm, writeLargeHeader(headerScratch, e.byteLength, bodyTag), dest, sendtag);
    sent = N.isendParts(N.commShadow(comm), e.parts, dest, bodyTag);
  }
  const value = finishReceived(comm, N.probeRecv(comm, source, recvtag), status);
  while (N.test(sent) === false) {
    /* the peer has posted its receive: this completes */
  }
  return value;
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
  return new Next<T>(N.irecv(N.commShadow(comm), body, st.source, large.bodyTag), () => decode(body) as T);
}
