// The command message, rank 0 -> workers: a small JSON header, then the
// arguments as one codec message (8-byte aligned, so typed arrays decode as
// views without a copy):
//   [u32 header length][header JSON][padding to 8][codec message of args]
// A plain call (a function the workers know, nothing else in the header) has
// a binary header instead, and no codec message when it has no arguments:
//   [u32 PLAIN_CALL][u32 function id][codec message]   or   [u32 PLAIN_CALL_NO_ARGS][u32 function id]
// Top-level arguments that are functions or ObjectIds are lifted into the
// header, so the common call keeps the arguments on the codec's JSON fast path.
// Large typed arrays among the arguments are detached (detached-buffers.ts):
// each follows the command as a message of its own on the command
// communicator's shadow, with COMMAND_TAG.
import { decode, type Detached, encode } from '../mpi/codec';
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
  /** Where to send failure notices (header w), once when the loop starts. */
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
}

const PLAIN_CALL = 0xffffffff;
const PLAIN_CALL_NO_ARGS = 0xfffffffe;
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
  if (header.k === Kind.Call && typeof header.f === 'number' && !header.r && !header.o && !header.x) {
    if (args.length === 0)
      return { parts: [plainHeader(plainNoArgsHeaders, PLAIN_CALL_NO_ARGS, header.f)], detached: NONE };
    return withArgs(plainHeader(plainCallHeaders, PLAIN_CALL, header.f), args);
  }
  const json = JSON.stringify(header);
  let needed = 4 + Buffer.byteLength(json) + 7;
  if (needed > scratch.byteLength) scratch = Buffer.allocUnsafe(Math.max(needed, scratch.byteLength * 2));
  const length = scratch.write(json, 4);
  scratch.writeUInt32LE(length, 0);
  needed = (4 + length + 7) & ~7;
  return withArgs(scratch.subarray(0, needed), args);
}

/** Receives the detached buffers of the arguments' codec message (null when it has none). */
export type ReceiveDetached = (args: Uint8Array) => Detached | null;

function decodeArgs(bytes: Uint8Array, receive: ReceiveDetached): unknown[] {
  const detached = receive(bytes);
  return decode(bytes, detached === null ? undefined : { detached }) as unknown[];
}

export function decodeCommand(message: ArrayBuffer, receive: ReceiveDetached): { header: Header; args: unknown[] } {
  const words = new Uint32Array(message, 0, 2);
  if (words[0] === PLAIN_CALL_NO_ARGS) return { header: { k: Kind.Call, f: words[1] }, args: [] };
  if (words[0] === PLAIN_CALL) {
    return { header: { k: Kind.Call, f: words[1] }, args: decodeArgs(new Uint8Array(message, 8), receive) };
  }
  const bytes = Buffer.from(message);
  const length = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + length)) as Header;
  const start = (4 + length + 7) & ~7;
  return { header, args: decodeArgs(new Uint8Array(message, start), receive) };
}
