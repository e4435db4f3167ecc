// encode(): value -> the parts of one message (wire-format.ts). Tried in
// order: the binary form of plain values (binary-encode.ts); plain JSON text
// (what the binary form declines but JSON carries exactly: strings with lone
// surrogates, nesting beyond its depth limit); superjson after the full walk.

import { BinaryWriter } from './binary-encode';
import { EncodeError } from './errors';
import { superjson, withEncodeContext } from './superjson-setup';
import { acquireWalker, isQuickJson, releaseWalker, Walker } from './walk';
import {
  DETACHED,
  FORMAT_BINARY,
  FORMAT_BUFFER,
  FORMAT_JSON,
  FORMAT_SUPERJSON,
  HEADER_SIZE,
  MAX_JSON_BYTES,
  align8,
  jsonStart,
  writeDescriptor,
  writeHeader,
} from './wire-format';

export interface Encoded {
  /** The message is the concatenation of these byte ranges; buffers are views of the sender's memory. */
  parts: ArrayBufferView[];
  byteLength: number;
  /**
   * The detached buffers (see detachFrom), in order: views of the sender's
   * memory, each to be sent as a message of its own right after the message.
   */
  detached: readonly Uint8Array[];
}

export interface EncodeOptions {
  /** Name of the value in error paths; default 'value'. */
  root?: string;
  /** Header and JSON may be written into a module scratch buffer, valid until the next encode call with reuse. */
  reuse?: boolean;
  /**
   * Buffers of at least this many bytes are left out of the message and
   * listed in `detached` instead (wire-format.ts); default: none.
   */
  detachFrom?: number;
}

const NONE: readonly Uint8Array[] = Object.freeze([]);

/** Above this many bytes, the JSON is measured exactly instead of allocating 3 bytes per UTF-16 unit. */
const MEASURE_ABOVE = 1 << 20;
/** The scratch buffer never grows beyond this; bigger messages get their own memory. */
const SCRATCH_MAX = 1 << 22;
let scratch: Buffer = Buffer.allocUnsafeSlow(1 << 16);
let scratchView: Buffer = scratch.subarray(0, 0);
let scratchViewOf: Buffer = scratch;

const ZEROS = new Uint8Array(8);
const PADS: readonly Uint8Array[] = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ZEROS.subarray(0, n));

/** Memory for header + JSON (+ 7 bytes of padding): the scratch buffer or a new one. */
function headMemory(prefix: number, text: string, reuse: boolean): Buffer {
  let size = prefix + text.length * 3 + 7;
  if (reuse && size <= SCRATCH_MAX) {
    if (scratch.length < size)
      scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX, Math.max(size, scratch.length * 2)));
    return scratch;
  }
  if (size > MEASURE_ABOVE) size = prefix + Buffer.byteLength(text) + 7;
  return Buffer.allocUnsafe(size);
}

/** A view of head[0, length); the scratch view is kept while its length repeats. */
function headPart(head: Buffer, length: number): Buffer {
  if (head === scratch) {
    if (scratchView.length !== length || scratchViewOf !== scratch) {
      scratchView = scratch.subarray(0, length);
      scratchViewOf = scratch;
    }
    return scratchView;
  }
  return head.subarray(0, length);
}

function jsonMessage(text: string, reuse: boolean): Encoded {
  const head = headMemory(HEADER_SIZE, text, reuse);
  const bytes = head.write(text, HEADER_SIZE);
  writeHeader(head, FORMAT_JSON, bytes, 0);
  const length = HEADER_SIZE + bytes;
  return { parts: [headPart(head, length)], byteLength: length, detached: NONE };
}

function layout(format: number, text: string, w: Walker, reuse: boolean, root: string, detachFrom: number): Encoded {
  const buffers = w.buffers;
  const kinds = w.kinds;
  const n = buffers.length;
  let inline = 0;
  for (let i = 0; i < n; i++) if (buffers[i].byteLength < detachFrom) inline++;
  const start = jsonStart(n);
  const head = headMemory(start, text, reuse);
  const bytes = text.length === 0 ? 0 : head.write(text, start);
  if (bytes > MAX_JSON_BYTES) throw new EncodeError(root, 'its JSON text exceeds 4 GiB');
  writeHeader(head, format, bytes, n);
  let end = start + bytes;
  if (inline > 0) {
    const padded = align8(end);
    head.fill(0, end, padded);
    end = padded;
  }
  const parts: ArrayBufferView[] = [headPart(head, end)];
  const detached: Uint8Array[] = inline === n ? (NONE as Uint8Array[]) : [];
  let at = end;
  for (let i = 0; i < n; i++) {
    const b = buffers[i];
    if (b.byteLength >= detachFrom) {
      writeDescriptor(head, i, kinds[i], 0, b.byteLength, DETACHED);
      detached.push(b);
      continue;
    }
    const pad = (8 - (at % 8)) % 8;
    if (pad !== 0) {
      parts.push(PADS[pad]);
      at += pad;
    }
    writeDescriptor(head, i, kinds[i], at, b.byteLength);
    if (b.byteLength !== 0) parts.push(b);
    at += b.byteLength;
  }
  return { parts, byteLength: at, detached };
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function jsonOf(value: unknown, root: string): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw new EncodeError(root, `JSON.stringify failed: ${reasonOf(e)}`, { cause: e });
  }
}

function encodeWith(w: Walker, value: unknown, root: string, reuse: boolean, detachFrom: number): Encoded {
  try {
    w.run(value, root);
  } catch (e) {
    if (e instanceof EncodeError) throw e;
    if (e instanceof RangeError) throw new EncodeError(root, `it is nested too deeply (${e.message})`, { cause: e });
    throw new EncodeError(root, `reading it threw: ${reasonOf(e)}`, { cause: e });
  }
  if (!w.sj) return jsonMessage(jsonOf(value, root), reuse);
  if (w.rootBuffer) return layout(FORMAT_BUFFER, '', w, reuse, root, detachFrom);
  if (w.badKey !== null) {
    throw new EncodeError(
      w.badKey,
      'superjson refuses properties named "constructor" and "prototype"; ' +
        'such keys can only be sent in a value that is plain JSON',
    );
  }
  let text: string;
  try {
    const payload = withEncodeContext({ leaf: w.leaf ?? new Map(), sparse: w.sparse }, () =>
      superjson.serialize(value),
    );
    text = JSON.stringify(payload);
  } catch (e) {
    if (e instanceof EncodeError) throw e;
    throw new EncodeError(root, `superjson failed: ${reasonOf(e)}`, { cause: e });
  }
  return layout(FORMAT_SUPERJSON, text, w, reuse, root, detachFrom);
}

// The binary writer normally writes into the scratch buffer. While it runs, a
// getter of the value may call encode() again: that nested call must leave
// the scratch alone (it gets its own memory).
const writer = new BinaryWriter(scratch);
let writing = false;

/** The value as a BINARY message, or null when it is not plain (the general path decides). */
function binaryMessage(value: unknown, reuse: boolean): Encoded | null {
  const nested = writing;
  const w = nested ? new BinaryWriter(Buffer.allocUnsafe(256)) : writer;
  if (!nested) {
    w.out = scratch;
    writing = true;
  }
  let ok: boolean;
  try {
    ok = w.write(value, HEADER_SIZE);
  } catch {
    ok = false; // e.g. a throwing getter: the general path reports it with its path
  } finally {
    if (!nested) writing = false;
  }
  const out = w.out;
  if (!nested && out !== scratch && out.length <= SCRATCH_MAX) scratch = out; // keep what it grew to
  if (!ok) return null;
  const length = w.pos;
  writeHeader(out, FORMAT_BINARY, length - HEADER_SIZE, 0);
  if (out !== scratch) return { parts: [out.subarray(0, length)], byteLength: length, detached: NONE }; // memory of its own
  if (reuse) return { parts: [headPart(out, length)], byteLength: length, detached: NONE };
  const own = Buffer.allocUnsafe(length);
  out.copy(own, 0, 0, length);
  return { parts: [own], byteLength: length, detached: NONE };
}

/**
 * The bytes of ONE message carrying `value`. Throws EncodeError (naming the
 * path of the offending part) when the value cannot be carried; nothing is
 * returned in that case.
 */
export function encode(value: unknown, options?: EncodeOptions): Encoded {
  const root = options?.root ?? 'value';
  const reuse = options?.reuse === true && !writing;
  const binary = binaryMessage(value, reuse);
  if (binary !== null) return binary;
  if (isQuickJson(value)) return jsonMessage(jsonOf(value, root), reuse);
  const w = acquireWalker();
  try {
    return encodeWith(w, value, root, reuse, options?.detachFrom ?? Infinity);
  } finally {
    releaseWalker(w);
  }
}

/** Copies the parts of a message one after another into `out` from `at`; returns where they end. */
export function copyParts(parts: readonly ArrayBufferView[], out: Uint8Array, at: number): number {
  for (const p of parts) {
    out.set(p instanceof Uint8Array ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return at;
}

/** One contiguous copy of an encoded message (8-aligned memory), e.g. for collectives; detached buffers are not in it. */
export function concatEncoded(e: Encoded): Uint8Array {
  const out = Buffer.allocUnsafeSlow(e.byteLength);
  const at = copyParts(e.parts, out, 0);
  if (at !== e.byteLength)
    throw new RangeError(`concatEncoded: parts hold ${at} bytes, byteLength says ${e.byteLength}`);
  return out;
}
