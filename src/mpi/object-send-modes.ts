// Values in the synchronous, buffered and ready send modes (ssend, bsend,
// rsend and their nonblocking forms), on the same wire as send: a value up
// to INLINE_MAX encoded bytes is one message in the mode asked for. A larger
// one is a header in that mode followed by its body on the shadow
// communicator: for a synchronous send the header's match is the receive
// starting; for a ready send only the header can meet a posted receive
// (the body's receive is posted after the header arrives), so the body goes
// as a standard send; a buffered send must find room for the whole value in
// the attached buffer, as MPI's would, but only its header goes through the
// buffer: the body is sent from a copy of its own, because a buffered send
// that fails after its header has gone would leave the receiver waiting.
import type { SendMode } from '../native/addon';
import { concatEncoded, encode } from './codec';
import { LARGE_HEADER_SIZE, writeLargeHeader } from './codec/wire-format';
import { attachedBytes, BSEND_OVERHEAD } from './bsend-buffer';
import { addon, native } from './environment';
import { ERR_BUFFER } from './error-classes';
import { MPIError } from './errors';
import { INLINE_MAX, nextBodyTag, sendHeaderInBackground, sendInBackground } from './object-p2p';
import { Request } from './request';

export const SYNCHRONOUS: SendMode = 1;
export const BUFFERED: SendMode = 2;
export const READY: SendMode = 3;

const PROC_NULL = addon().constants.PROC_NULL;
const headerScratch = new Uint8Array(LARGE_HEADER_SIZE);
const done = (): undefined => undefined;

/** A buffered large value needs room for its header and its body: say so before anything is sent. */
function checkRoom(where: string, bodyBytes: number): void {
  const needed = LARGE_HEADER_SIZE + bodyBytes + 2 * BSEND_OVERHEAD;
  const have = attachedBytes();
  if (needed <= have) return;
  throw new MPIError(
    `${where}: a buffered send of a value of ${bodyBytes} bytes encoded needs ${needed} bytes of attached buffer ` +
      `(header, body and 2 × BSEND_OVERHEAD), but ${have === 0 ? 'no buffer is attached' : `${have} bytes are attached`}; ` +
      'attach a larger one with attachBuffer()',
    ERR_BUFFER,
  );
}

/** MPI_Ssend / MPI_Bsend / MPI_Rsend of a value. */
export function sendValueInMode(comm: number, obj: unknown, dest: number, tag: number, mode: SendMode): void {
  const N = native();
  const e = encode(obj, { root: 'obj', reuse: true });
  if (e.byteLength <= INLINE_MAX || dest === PROC_NULL) {
    N.sendInMode(comm, e.parts.length === 1 ? e.parts[0] : e.parts, dest, tag, mode);
    return;
  }
  if (mode === BUFFERED) checkRoom('bsend', e.byteLength);
  const body = concatEncoded(e);
  const bodyTag = nextBodyTag();
  const shadow = N.commShadow(comm);
  N.sendInMode(comm, writeLargeHeader(headerScratch, body.byteLength, bodyTag), dest, tag, mode);
  sendInBackground(shadow, body, dest, bodyTag);
}

/**
 * MPI_Issend / MPI_Ibsend / MPI_Irsend of a value. A large value's body is
 * posted at once (never staged behind its header, which a receiver blocked
 * on the body would wait for forever): a synchronous send's request is its
 * body's synchronous send, matched only after the receiver took the header;
 * a buffered send's is its header's, and the body, copied, goes in the
 * background; a ready send's is its body's standard send.
 */
export function isendValueInMode(comm: number, obj: unknown, dest: number, tag: number, mode: SendMode): Request<void> {
  const N = native();
  const e = encode(obj, { root: 'obj' });
  if (e.byteLength <= INLINE_MAX || dest === PROC_NULL) {
    return new Request<void>(N.isendInMode(comm, e.parts, dest, tag, mode), done);
  }
  const bodyTag = nextBodyTag();
  const shadow = N.commShadow(comm);
  const envelope = { source: dest, tag };
  if (mode === BUFFERED) {
    checkRoom('ibsend', e.byteLength);
    const header = writeLargeHeader(new Uint8Array(LARGE_HEADER_SIZE), e.byteLength, bodyTag);
    const request = new Request<void>(N.isendInMode(comm, header, dest, tag, BUFFERED), done);
    sendInBackground(shadow, concatEncoded(e), dest, bodyTag);
    return request;
  }
  // The header as an isend of its own: an MPI may complete even a 32-byte
  // blocking send to oneself only once it is received (MPICH does).
  sendHeaderInBackground(comm, e.byteLength, dest, tag, bodyTag);
  const body =
    mode === SYNCHRONOUS
      ? N.isendInMode(shadow, e.parts, dest, bodyTag, SYNCHRONOUS)
      : N.isendParts(shadow, e.parts, dest, bodyTag);
  return new Request<void>(body, done, envelope);
}
