// decode(): the bytes of one message -> the value.

import { decodeBinary } from './binary-decode';
import { DecodeError } from './errors';
import { allocateBuffer, fromMessage, KINDS, type MemorySource } from './buffers';
import { applyReferences } from './references';
import { checkAnnotations, superjson, withDecodeContext } from './superjson-setup';
import {
  DESCRIPTOR_SIZE,
  DETACHED,
  FORMAT_BINARY,
  FORMAT_BUFFER,
  FORMAT_JSON,
  FORMAT_SUPERJSON,
  HEADER_SIZE,
  MAGIC_VERSION,
  MessageFormat,
  align8,
  formatName,
  readHeader,
} from './wire-format';

export interface DecodeOptions {
  /** Default false: typed arrays, Buffers and DataViews are views into the message. */
  copyBuffers?: boolean;
  /** The message's detached buffers, received (allocateDetached, then a receive into each of `bytes`). */
  detached?: Detached | null;
}

/** The values standing for a message's detached buffers, and the memory to receive each one into. */
export interface Detached {
  readonly values: unknown[];
  readonly bytes: Uint8Array[];
}

function asBuffer(message: ArrayBuffer | ArrayBufferView): Buffer {
  if (Buffer.isBuffer(message)) return message;
  const m: unknown = message;
  if (ArrayBuffer.isView(m)) return Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  if (m instanceof ArrayBuffer || m instanceof SharedArrayBuffer) return Buffer.from(m);
  throw new DecodeError('decode expects an ArrayBuffer or an ArrayBufferView');
}

function rejectProtoKey(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new DecodeError('the JSON text has a "__proto__" key');
  return value;
}

/** JSON.parse, refusing "__proto__" keys (checked with a reviver only when the text could hold one). */
function parseJson(text: string): unknown {
  try {
    if (text.includes('__proto__') || text.includes('\\u')) return JSON.parse(text, rejectProtoKey);
    return JSON.parse(text);
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`bad JSON text (${(e as Error).message})`, { cause: e });
  }
}

interface Descriptor {
  kind: number;
  offset: number;
  length: number;
  /** Index among the detached buffers, or -1 for a buffer in the message. */
  detached: number;
}

function readDescriptors(msg: Buffer, count: number, jsonEnd: number): Descriptor[] {
  const out: Descriptor[] = [];
  let end = jsonEnd;
  let detached = 0;
  for (let i = 0; i < count; i++) {
    const at = HEADER_SIZE + DESCRIPTOR_SIZE * i;
    const kind = msg[at];
    const flags = msg[at + 1];
    if (flags !== 0 && flags !== DETACHED) throw new DecodeError(`buffer ${i} has unknown flags ${flags}`);
    for (let j = 2; j < 8; j++)
      if (msg[at + j] !== 0) throw new DecodeError(`reserved bytes of buffer ${i} are not zero`);
    const offset = msg.readDoubleLE(at + 8);
    const length = msg.readDoubleLE(at + 16);
    if (kind === 0 || KINDS[kind] === undefined) throw new DecodeError(`buffer ${i} has unknown kind ${kind}`);
    if (!Number.isSafeInteger(length) || length < 0) throw new DecodeError(`buffer ${i} has bad length ${length}`);
    if (flags === DETACHED) {
      if (offset !== 0) throw new DecodeError(`detached buffer ${i} has offset ${offset}, expected 0`);
      out.push({ kind, offset, length, detached: detached++ });
      continue;
    }
    if (offset !== align8(end)) throw new DecodeError(`buffer ${i} starts at ${offset}, expected ${align8(end)}`);
    end = offset + length;
    if (end > msg.length)
      throw new DecodeError(`buffer ${i} ends at ${end}, after the end of the ${msg.length}-byte message`);
    out.push({ kind, offset, length, detached: -1 });
  }
  if (end !== msg.length) throw new DecodeError(`the message has ${msg.length} bytes, its header describes ${end}`);
  return out;
}

/** The value of buffer descriptor `d`: from the message, or the received detached buffer. */
function bufferValue(d: Descriptor, msg: Buffer, copy: boolean, detached: Detached | null | undefined): unknown {
  if (d.detached < 0) return fromMessage(d.kind, msg, d.offset, d.length, copy);
  const values = detached?.values;
  if (values === undefined || d.detached >= values.length) {
    throw new DecodeError(
      'the message has buffers sent as messages of their own, and they were not received (allocateDetached)',
    );
  }
  return values[d.detached];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decodeSuperjson(
  text: string,
  msg: Buffer,
  descriptors: Descriptor[],
  copy: boolean,
  detached: Detached | null | undefined,
): unknown {
  const payload = parseJson(text);
  if (!isRecord(payload) || !('json' in payload)) throw new DecodeError('the superjson payload has no "json"');
  const meta = payload.meta;
  if (meta !== undefined && (!isRecord(meta) || meta.v !== 1)) throw new DecodeError('bad superjson meta');
  const values = meta?.values;
  checkAnnotations(values);
  const views: unknown[] = new Array(descriptors.length);
  const ctx = {
    buffer(index: unknown): unknown {
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= descriptors.length) {
        throw new DecodeError(`reference to buffer ${String(index)}, the message has ${descriptors.length}`);
      }
      if (!(index in views)) views[index] = bufferValue(descriptors[index], msg, copy, detached);
      return views[index];
    },
  };
  try {
    return withDecodeContext(ctx, () => {
      const value = superjson.deserialize(
        { json: payload.json as never, meta: values === undefined ? undefined : { v: 1, values: values as never } },
        { inPlace: true },
      );
      return applyReferences(value, meta?.referentialEqualities);
    });
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`the value cannot be rebuilt (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
}

/** The bytes of a message without a copy, as a Uint8Array (a Buffer is one). */
function asBytes(message: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (message instanceof Uint8Array) return message;
  const m: unknown = message;
  if (ArrayBuffer.isView(m)) return new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  if (m instanceof ArrayBuffer || m instanceof SharedArrayBuffer) return new Uint8Array(m);
  throw new DecodeError('decode expects an ArrayBuffer or an ArrayBufferView');
}

/** True if b[0, length) holds a well-formed fixed header of `format` with no buffers, whose value runs to `length`. */
function isBareHeader(b: Uint8Array, format: number, length = b.length): boolean {
  return (
    length >= HEADER_SIZE &&
    b[0] === MAGIC_VERSION &&
    b[1] === format &&
    b[2] === 0 &&
    b[3] === 0 &&
    b[8] === 0 &&
    b[9] === 0 &&
    b[10] === 0 &&
    b[11] === 0 &&
    b[12] === 0 &&
    b[13] === 0 &&
    b[14] === 0 &&
    b[15] === 0 &&
    (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0 === length - HEADER_SIZE
  );
}

/** The value carried by one message. Throws DecodeError when the message is malformed. */
export function decode(message: ArrayBuffer | ArrayBufferView, options?: DecodeOptions): unknown {
  const bytes = asBytes(message);
  // Fast path: a binary message of plain values, read straight from the bytes.
  if (isBareHeader(bytes, FORMAT_BINARY)) return decodeBinary(bytes, HEADER_SIZE, bytes.length);
  const msg = asBuffer(bytes);
  // Next fastest: a plain JSON message.
  const length = msg.length;
  if (isBareHeader(msg, FORMAT_JSON)) return parseJson(msg.toString('utf8', HEADER_SIZE, length));
  const h = readHeader(msg);
  if (h.format === FORMAT_BINARY) return decodeBinary(msg, h.jsonStart, h.jsonEnd);
  if (h.format === FORMAT_JSON) return parseJson(msg.toString('utf8', h.jsonStart, h.jsonEnd));
  const descriptors = readDescriptors(msg, h.count, h.jsonEnd);
  const copy = options?.copyBuffers === true;
  const detached = options?.detached;
  if (h.format === FORMAT_BUFFER) return bufferValue(descriptors[0], msg, copy, detached);
  return decodeSuperjson(msg.toString('utf8', h.jsonStart, h.jsonEnd), msg, descriptors, copy, detached);
}

/**
 * decode() of the message in bytes[0, length), e.g. reused receive memory:
 * the usual binary message is read in place, without a view made for it.
 */
export function decodePrefix(bytes: Uint8Array, length: number, options?: DecodeOptions): unknown {
  if (isBareHeader(bytes, FORMAT_BINARY, length)) return decodeBinary(bytes, HEADER_SIZE, length);
  return decode(bytes.subarray(0, length), options);
}

/**
 * Fresh memory for the detached buffers of a message, the values that will
 * stand for them, or null when it has none (the usual message: a glance at
 * its header). `source` provides the memory (default: fresh memory from
 * Node). Throws DecodeError when the message is malformed.
 */
export function allocateDetached(message: ArrayBuffer | ArrayBufferView, source?: MemorySource): Detached | null {
  const bytes = asBytes(message);
  const format = bytes.length >= HEADER_SIZE ? bytes[1] : -1;
  if (format !== FORMAT_SUPERJSON && format !== FORMAT_BUFFER) return null;
  const count = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24)) >>> 0;
  let any = false;
  for (let i = 0; i < count && !any; i++) {
    const at = HEADER_SIZE + DESCRIPTOR_SIZE * i + 1;
    if (at >= bytes.length) break; // readHeader below reports it
    any = bytes[at] === DETACHED;
  }
  if (!any) return null;
  const msg = asBuffer(bytes);
  const h = readHeader(msg);
  const values: unknown[] = [];
  const memory: Uint8Array[] = [];
  for (const d of readDescriptors(msg, h.count, h.jsonEnd)) {
    if (d.detached < 0) continue;
    const b = allocateBuffer(d.kind, d.length, source);
    values.push(b.value);
    memory.push(b.bytes);
  }
  return { values, bytes: memory };
}

/** How a message was encoded: 'binary' (plain values), 'json', 'superjson' or 'buffer' (one bare buffer). */
export function messageFormat(message: ArrayBuffer | ArrayBufferView): MessageFormat {
  return formatName(readHeader(asBuffer(message)).format);
}
