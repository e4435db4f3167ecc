// Wire format of one message. All integers little-endian.
//
//   offset    size   field
//   0         1      MAGIC_VERSION 0xB1 (magic nibble 0xB, format version 1)
//   1         1      format: 0 JSON      the JSON text is plain JSON.parse input (fast path)
//                            1 SUPERJSON the JSON text is a superjson {json, meta} payload
//                            2 BUFFER    the value is one bare buffer (descriptor 0); no JSON
//                            3 LARGE     not a value: a large-message header (below)
//                            4 BINARY    the "JSON text" field holds a binary value instead
//                                        (plain values only; layout below)
//   2         2      reserved, 0
//   4         4      uint32 JSON byte length J
//   8         4      uint32 buffer count N
//   12        4      reserved, 0
//   16        24*N   one descriptor per out-of-band buffer:
//                      +0  uint8   kind code (buffers.ts: 1 Int8Array .. 15 SharedArrayBuffer)
//                      +1  uint8   flags: 0, or DETACHED (1): the bytes are not in this
//                                  message but travel as a message of their own (below)
//                      +2  6 bytes reserved, 0
//                      +8  float64 byte offset of the buffer from the start of the message
//                                  (0 for a detached buffer)
//                      +16 float64 byte length of the buffer
//   16+24N    J      JSON text, UTF-8
//   then, only if N > 0: zero padding to a multiple of 8, and the raw bytes of
//   buffer 0, 1, ... each starting at an 8-aligned offset (zero padding between).
//
// The message ends exactly at the end of the last buffer that is in it (at
// the end of the JSON when there is none). Offsets and lengths are float64 (exact below 2^53), so a
// message and each of its buffers may exceed 2 GiB; the JSON text may not
// exceed 4 GiB. In the superjson payload a buffer is the custom value
// [0, i] with i its descriptor index (superjson-setup.ts).
//
// Detached buffers: a large buffer may be left out of the message and sent
// right after it, as one contiguous message of its bytes per detached buffer,
// in descriptor order (the transport says on which communicator and tag). The
// sender sends straight from the array's memory and the receiver receives
// straight into the memory of the array it returns (encode's detachFrom,
// decode's detached).
//
// A large-message header (format 3) announces a value sent as a separate
// message, its body (src/mpi/object-p2p.ts): J = 0, N = 0, then
//   16        8      float64 byte length of the body (a whole message as above)
//   24        4      uint32 body tag
//   28        4      reserved, 0
// 32 bytes in all.
// BINARY (format 4): N = 0, and the J bytes after the header are one value,
// a tag byte then its payload (tags in binary-tags.ts; integers LE):
//   0 undefined   1 null   2 false   3 true
//   4 int32: 4 bytes              5 float64: 8 bytes (NaN, +-Infinity, -0)
//   6 ASCII string: uint32 L, L bytes < 0x80
//   7 UTF-8 string: uint32 L, L bytes of well-formed UTF-8
//   8 array: uint32 n, n values (holes of sparse arrays are undefined)
//   9 plain object: uint32 n, n times (uint32 L, L bytes UTF-8 key, value)
//   11 bigint: uint32 L, L ASCII bytes of decimal text
// Arrays and objects nest at most 512 deep; a "__proto__" key is malformed.

import { DecodeError } from './errors';

export const MAGIC_VERSION = 0xb1;
export const FORMAT_JSON = 0;
export const FORMAT_SUPERJSON = 1;
export const FORMAT_BUFFER = 2;
export const FORMAT_LARGE = 3;
export const LARGE_HEADER_SIZE = 32;
export const FORMAT_BINARY = 4;
export const HEADER_SIZE = 16;
export const DESCRIPTOR_SIZE = 24;
export const MAX_JSON_BYTES = 0xffffffff;
/** Descriptor flag: the buffer's bytes travel as a message of their own after this one. */
export const DETACHED = 1;

export type MessageFormat = 'json' | 'superjson' | 'buffer' | 'binary';
const FORMAT_NAMES: readonly (MessageFormat | undefined)[] = ['json', 'superjson', 'buffer', undefined, 'binary'];

export function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}

/** Byte offset of the JSON text in a message with `count` buffers. */
export function jsonStart(count: number): number {
  return HEADER_SIZE + DESCRIPTOR_SIZE * count;
}

export function writeHeader(b: Buffer, format: number, jsonBytes: number, count: number): void {
  b[0] = MAGIC_VERSION;
  b[1] = format;
  b[2] = 0;
  b[3] = 0;
  b[4] = jsonBytes & 0xff;
  b[5] = (jsonBytes >>> 8) & 0xff;
  b[6] = (jsonBytes >>> 16) & 0xff;
  b[7] = jsonBytes >>> 24;
  b[8] = count & 0xff;
  b[9] = (count >>> 8) & 0xff;
  b[10] = (count >>> 16) & 0xff;
  b[11] = count >>> 24;
  b[12] = 0;
  b[13] = 0;
  b[14] = 0;
  b[15] = 0;
}

export function writeDescriptor(
  b: Buffer,
  index: number,
  kind: number,
  offset: number,
  length: number,
  flags = 0,
): void {
  const at = HEADER_SIZE + DESCRIPTOR_SIZE * index;
  b.fill(0, at, at + 8);
  b[at] = kind;
  b[at + 1] = flags;
  b.writeDoubleLE(offset, at + 8);
  b.writeDoubleLE(length, at + 16);
}

export interface Header {
  format: number;
  jsonStart: number;
  jsonEnd: number;
  count: number;
}

/** The little-endian uint32 at byte `at` of `b`. */
export function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/**
 * True when the message that starts at byte `at` of `b` has buffers (so that
 * decode returns views of its memory); read from its header alone, unchecked.
 */
export function hasBuffers(b: Uint8Array, at = 0): boolean {
  return b.length - at >= HEADER_SIZE && u32(b, at + 8) > 0;
}

/** Reads and checks the fixed header; throws DecodeError when malformed. */
export function readHeader(b: Uint8Array): Header {
  const length = b.length;
  if (length < HEADER_SIZE) throw new DecodeError(`${length} bytes is shorter than the ${HEADER_SIZE}-byte header`);
  if (b[0] !== MAGIC_VERSION) throw new DecodeError(`bad magic/version byte 0x${b[0].toString(16)}`);
  const format = b[1];
  if (format === FORMAT_LARGE) {
    throw new DecodeError(
      'this is a large-message header, not a value: its body is a separate message (recv and irecv receive both)',
    );
  }
  if (FORMAT_NAMES[format] === undefined) throw new DecodeError(`unknown format ${format}`);
  if (b[2] !== 0 || b[3] !== 0 || u32(b, 12) !== 0) throw new DecodeError('reserved header bytes are not zero');
  const jsonBytes = u32(b, 4);
  const count = u32(b, 8);
  const start = jsonStart(count);
  const jsonEnd = start + jsonBytes;
  if (jsonEnd > length)
    throw new DecodeError(`header announces ${jsonEnd} bytes of header and JSON but the message has ${length}`);
  if ((format === FORMAT_JSON || format === FORMAT_BINARY) && (count !== 0 || jsonEnd !== length)) {
    throw new DecodeError(`a ${FORMAT_NAMES[format]} message must have no buffers and end with its value`);
  }
  if (format === FORMAT_BUFFER && (count !== 1 || jsonBytes !== 0)) {
    throw new DecodeError('a bare-buffer message must have one buffer and no JSON text');
  }
  return { format, jsonStart: start, jsonEnd, count };
}

/** 'json' | 'superjson' | 'buffer' | 'binary': how a message was encoded (for tests and diagnostics). */
export function formatName(format: number): MessageFormat {
  return FORMAT_NAMES[format] as MessageFormat;
}

/** The 32-byte header announcing a body of `bodyBytes` bytes sent with tag `bodyTag`. */
export function writeLargeHeader(b: Uint8Array, bodyBytes: number, bodyTag: number): Uint8Array {
  const h = Buffer.from(b.buffer, b.byteOffset, LARGE_HEADER_SIZE);
  writeHeader(h, FORMAT_LARGE, 0, 0);
  h.writeDoubleLE(bodyBytes, HEADER_SIZE);
  h.writeUInt32LE(bodyTag, HEADER_SIZE + 8);
  h.writeUInt32LE(0, HEADER_SIZE + 12);
  return b;
}

export interface LargeHeader {
  bodyBytes: number;
  bodyTag: number;
}

/** The announcement if `b` is a large-message header, else null (any other message, well-formed or not). */
export function readLargeHeader(b: Uint8Array): LargeHeader | null {
  if (b.length !== LARGE_HEADER_SIZE || b[0] !== MAGIC_VERSION || b[1] !== FORMAT_LARGE) return null;
  const h = Buffer.from(b.buffer, b.byteOffset, LARGE_HEADER_SIZE);
  const bodyBytes = h.readDoubleLE(HEADER_SIZE);
  if (!Number.isSafeInteger(bodyBytes) || bodyBytes < 0)
    throw new DecodeError(`large-message header announces a body of ${bodyBytes} bytes`);
  return { bodyBytes, bodyTag: u32(b, HEADER_SIZE + 8) };
}
