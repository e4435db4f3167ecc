// The command message, rank 0 -> workers: a small JSON header, then the
// arguments as one codec message (8-byte aligned, so typed arrays decode as
// views without a copy):
//   [u32 header length][header JSON][padding to 8][codec message of args]
// A plain call (a function the workers know, nothing else in the header) has
// a binary header instead, and no codec message when it has no arguments:
//   [u32 PLAIN_CALL][u32 function id][codec message]   or   [u32 PLAIN_CALL_NO_ARGS][u32 function id]
// and so has one whose only extra is ObjectId arguments among the first 32
// (methodCall on managed objects, the hot path of distributed solvers):
//   [u32 PLAIN_CALL_IDS][u32 function id][u32 bit mask of the positions][u32 0][codec message]
// Top-level arguments that are functions or ObjectIds are lifted into the
// header, so the common call keeps the arguments on the codec's JSON fast path.
// Large typed arrays among the arguments are detached (detached-buffers.ts):
// each follows the command as a message of its own on the command
// communicator's shadow, with COMMAND_TAG.
import { decode, type Detached, encode } from '../mpi/codec';
import { hasBuffers, u32 } from '../mpi/codec/wire-format';
import { DETACH_FROM } from '../mpi/detached-buffers';
import type { FunctionRef } from './function-refs';
import type { WatchdogAddress } from './watchdog';

export const enum Kind {
  /** Run a function (header f) with the arguments. */
  Call = 0,
  /** Import ES modules (header u) before later commands refer to them. */
  Load = 1,
  /** Register classes (header cl) for the codec. */
  Classes = 2,
  /** Leave the loop after reporting the last status. */
  Quit = 3,
  /** Where to send failure notices (header w) and the doorbells (header b), once when the loop starts. */
  Watchdog = 4,
}

// Calls are numbered (RemoteError.seq) by counting them on both sides, so the
// number does not travel and the header of a plain call never changes.
export interface Header {
  k: Kind;
  f?: FunctionRef;
  /** Ids of managed objects to remove before running. */
  r?: number[];
  /** Positions of ObjectId arguments (sent as their ids). */
  o?: number[];
  /** Function arguments: [position, reference]. */
  x?: Array<[number, FunctionRef]>;
  /** ES module URLs to import. */
  u?: string[];
  /** Classes to register: [name, reference]. */
  cl?: Array<[string, FunctionRef]>;
  /** Rank 0's failure watchdog. */
  w?: WatchdogAddress;
  /** The doorbells of the workers on rank 0's host, [rank, pid]: parents ring their children. */
  b?: Array<[number, number]>;
}

const PLAIN_CALL = 0xffffffff;
const PLAIN_CALL_NO_ARGS = 0xfffffffe;
const PLAIN_CALL_IDS = 0xfffffffd;
/** ObjectId positions a binary header can carry (bits of one uint32). */
const MASK_POSITIONS = 32;
let scratch = Buffer.allocUnsafe(4096);
const NO_ARGS: unknown[] = [];
/** Binary headers of plain calls ({k: Call, f: id}), by function id and whether there are arguments. */
const plainCallHeaders = new Map<number, Uint8Array>();
const plainNoArgsHeaders = new Map<number, Uint8Array>();

function plainHeader(cache: Map<number, Uint8Array>, marker: number, id: number): Uint8Array {
  let bytes = cache.get(id);
  if (!bytes) cache.set(id, (bytes = new Uint8Array(Uint32Array.of(marker, id).buffer)));
  return bytes;
}
let emptyArgs: ArrayBufferView[] | undefined;
const NONE: readonly Uint8Array[] = Object.freeze([]);

/** A command: its message, then its detached buffers (views of the arguments' memory), each sent on its own. */
export interface CommandMessage {
  parts: ArrayBufferView[];
  detached: readonly Uint8Array[];
}

/** The bit mask of ObjectId positions, or -1 when some position does not fit in one. */
function positionMask(positions: number[]): number {
  let mask = 0;
  for (const i of positions) {
    if (i >= MASK_POSITIONS) return -1;
    mask |= 1 << i;
  }
  return mask >>> 0;
}

const idsHeader = new Uint32Array(4);
const idsHeaderBytes = new Uint8Array(idsHeader.buffer);

function withArgs(head: Uint8Array, args: unknown[]): CommandMessage {
  if (args.length === 0) {
    emptyArgs ??= encode([]).parts.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength).slice());
    return { parts: [head, ...emptyArgs], detached: NONE };
  }
  const e = encode(args, { root: 'args', reuse: true, detachFrom: DETACH_FROM });
  return { parts: [head, ...e.parts], detached: e.detached };
}

/** The message for a command (valid until the next call: buffers are reused). */
export function encodeCommand(header: Header, args: unknown[] = NO_ARGS): CommandMessage {
  if (header.k === Kind.Call && typeof header.f === 'number' && !header.r && !header.x) {
    if (!header.o) {
      if (args.length === 0)
        return { parts: [plainHeader(plainNoArgsHeaders, PLAIN_CALL_NO_ARGS, header.f)], detached: NONE };
      return withArgs(plainHeader(plainCallHeaders, PLAIN_CALL, header.f), args);
    }
    const mask = positionMask(header.o);
    if (mask !== -1) {
      idsHeader[0] = PLAIN_CALL_IDS;
      idsHeader[1] = header.f;
      idsHeader[2] = mask;
      return withArgs(idsHeaderBytes, args);
    }
  }
  const json = JSON.stringify(header);
  let needed = 4 + Buffer.byteLength(json) + 7;
  if (needed > scratch.byteLength) scratch = Buffer.allocUnsafe(Math.max(needed, scratch.byteLength * 2));
  const length = scratch.write(json, 4);
  scratch.writeUInt32LE(length, 0);
  needed = (4 + length + 7) & ~7;
  return withArgs(scratch.subarray(0, needed), args);
}

/** The positions whose bits are set in `mask`. */
function maskPositions(mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; mask !== 0; i++, mask >>>= 1) if (mask & 1) out.push(i);
  return out;
}

/** Receives the detached buffers of the arguments' codec message (null when it has none). */
export type ReceiveDetached = (args: Uint8Array) => Detached | null;

function decodeArgs(bytes: Uint8Array, receive: ReceiveDetached): unknown[] {
  const detached = receive(bytes);
  return decode(bytes, detached === null ? undefined : { detached }) as unknown[];
}

/** The uint32 at word `i` of a command message. */
const word = (message: Uint8Array, i: number): number => u32(message, 4 * i);

/** Where a command's codec message of arguments starts in `message`; -1 when it has none. */
function argsOffset(message: Uint8Array): number {
  const first = word(message, 0);
  if (first === PLAIN_CALL_NO_ARGS) return -1;
  if (first === PLAIN_CALL) return 8;
  if (first === PLAIN_CALL_IDS && message.byteLength >= 16) return 16;
  return (4 + first + 7) & ~7;
}

/** A command's arguments as a codec message (a view of `message`); null when it has none. */
function commandArgs(message: Uint8Array): Uint8Array | null {
  const at = argsOffset(message);
  return at < 0 ? null : message.subarray(at);
}

/**
 * True when decoding the command would return views of `message` (its
 * arguments carry typed arrays in the message itself), so that the message
 * must outlive the command rather than be received into reused memory.
 */
export function commandViewsMessage(message: Uint8Array): boolean {
  const at = argsOffset(message);
  return at >= 0 && hasBuffers(message, at);
}

export function decodeCommand(message: Uint8Array, receive: ReceiveDetached): { header: Header; args: unknown[] } {
  const first = word(message, 0);
  if (first === PLAIN_CALL_NO_ARGS) return { header: { k: Kind.Call, f: word(message, 1) }, args: [] };
  const args = decodeArgs(commandArgs(message)!, receive);
  if (first === PLAIN_CALL) return { header: { k: Kind.Call, f: word(message, 1) }, args };
  if (first === PLAIN_CALL_IDS && message.byteLength >= 16) {
    return { header: { k: Kind.Call, f: word(message, 1), o: maskPositions(word(message, 2)) }, args };
  }
  const header = JSON.parse(Buffer.from(message.buffer, message.byteOffset + 4, first).toString('utf8')) as Header;
  return { header, args };
}
