// Reads the body of a BINARY message (binary-tags.ts) back into a value.
// Every length is checked against the bytes that remain before anything is
// allocated, nesting is bounded, and a "__proto__" key is refused, so a
// hostile message gives a DecodeError and never sets a prototype.

import {
  BINARY_MAX_DEPTH,
  TAG_ARRAY,
  TAG_ASCII,
  TAG_BIGINT,
  TAG_FALSE,
  TAG_FLOAT64,
  TAG_INT32,
  TAG_NULL,
  TAG_OBJECT,
  TAG_TRUE,
  TAG_UNDEFINED,
  TAG_UTF8,
} from './binary-tags';
import { DecodeError } from './errors';

/** ASCII strings up to this many bytes go through the cache below. */
const SHORT_STRING = 24;
const BIGINT_TEXT = /^-?[0-9]+$/;

// Recently decoded short ASCII strings (mostly keys, which repeat across
// rows and messages), found by a hash of their bytes and checked byte by
// byte: a hit creates no string at all.
const CACHE_SIZE = 1024;
const cache: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);

/** Buffer's own latin1/utf8 slicing, without toString's argument handling. */
interface Slicing {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const EMPTY = new Uint8Array(0);
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** The little-endian float64 at b[p..p+8) (byte copies: b may sit at any alignment). */
function float64At(b: Uint8Array, p: number): number {
  const d = f64Bytes;
  d[0] = b[p];
  d[1] = b[p + 1];
  d[2] = b[p + 2];
  d[3] = b[p + 3];
  d[4] = b[p + 4];
  d[5] = b[p + 5];
  d[6] = b[p + 6];
  d[7] = b[p + 7];
  return f64[0];
}

class BinaryReader {
  b: Uint8Array = new Uint8Array(0);
  p = 0;
  end = 0;
  private buf: Buffer | null = null;

  reset(b: Uint8Array, start: number, end: number): void {
    this.b = b;
    this.p = start;
    this.end = end;
    this.buf = null;
  }

  /** A Buffer over the same memory, made only when a long string needs it. */
  private asBuffer(): Buffer {
    const b = this.b;
    return (this.buf ??= Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }

  private need(n: number, what: string): void {
    if (this.p + n > this.end) {
      throw new DecodeError(`${what} at byte ${this.p} needs ${n} bytes, ${this.end - this.p} remain`);
    }
  }

  private u32(what: string): number {
    this.need(4, what);
    const b = this.b;
    const p = this.p;
    this.p = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** `n` bytes of text (ASCII when `ascii`, else UTF-8). */
  private text(n: number, ascii: boolean, what: string): string {
    this.need(n, what);
    const start = this.p;
    const stop = start + n;
    this.p = stop;
    if (n <= SHORT_STRING) {
      const b = this.b;
      let h = n;
      let i = start;
      for (; i < stop; i++) {
        const c = b[i];
        if (c >= 0x80) break;
        h = (Math.imul(h, 31) + c) | 0;
      }
      if (i === stop) {
        const slot = (h ^ (h >>> 10)) & (CACHE_SIZE - 1);
        const hit = cache[slot];
        if (hit !== undefined && hit.length === n) {
          let j = 0;
          while (j < n && hit.charCodeAt(j) === b[start + j]) j++;
          if (j === n) return hit;
        }
        const s = (this.asBuffer() as unknown as Slicing).latin1Slice(start, stop);
        cache[slot] = s;
        return s;
      }
    }
    const buf = this.asBuffer() as unknown as Slicing;
    return ascii ? buf.latin1Slice(start, stop) : buf.utf8Slice(start, stop);
  }

  value(depth: number): unknown {
    if (this.p >= this.end) throw new DecodeError(`the value ends early, at byte ${this.p}`);
    const b = this.b;
    const tag = b[this.p++];
    switch (tag) {
      case TAG_UNDEFINED:
        return undefined;
      case TAG_NULL:
        return null;
      case TAG_FALSE:
        return false;
      case TAG_TRUE:
        return true;
      case TAG_INT32: {
        this.need(4, 'an int32');
        const p = this.p;
        this.p = p + 4;
        return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
      }
      case TAG_FLOAT64: {
        this.need(8, 'a float64');
        const p = this.p;
        this.p = p + 8;
        return float64At(b, p);
      }
      case TAG_ASCII:
      case TAG_UTF8:
        return this.text(this.u32('a string length'), tag === TAG_ASCII, 'a string');
      case TAG_ARRAY:
        return this.array(depth);
      case TAG_OBJECT:
        return this.object(depth);
      case TAG_BIGINT: {
        const text = this.text(this.u32('a bigint length'), true, 'a bigint');
        if (!BIGINT_TEXT.test(text)) throw new DecodeError(`bad bigint text ${JSON.stringify(text.slice(0, 40))}`);
        return BigInt(text);
      }
      default:
        throw new DecodeError(`unknown value tag ${tag} at byte ${this.p - 1}`);
    }
  }

  private array(depth: number): unknown[] {
    if (depth >= BINARY_MAX_DEPTH) throw new DecodeError(`arrays and objects nested deeper than ${BINARY_MAX_DEPTH}`);
    const n = this.u32('an array length');
    // Each element takes at least one byte: a huge length cannot allocate.
    if (n > this.end - this.p) throw new DecodeError(`an array of ${n} elements in ${this.end - this.p} bytes`);
    const out: unknown[] = [];
    const b = this.b;
    for (let i = 0; i < n; i++) {
      // Numbers inline: arrays of numbers are the common large value.
      const p = this.p;
      if (b[p] === TAG_FLOAT64 && p + 9 <= this.end) {
        this.p = p + 9;
        out.push(float64At(b, p + 1));
      } else if (b[p] === TAG_INT32 && p + 5 <= this.end) {
        this.p = p + 5;
        out.push(b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16) | (b[p + 4] << 24));
      } else {
        out.push(this.value(depth + 1));
      }
    }
    return out;
  }

  private object(depth: number): Record<string, unknown> {
    if (depth >= BINARY_MAX_DEPTH) throw new DecodeError(`arrays and objects nested deeper than ${BINARY_MAX_DEPTH}`);
    const n = this.u32('a property count');
    if (n > this.end - this.p) throw new DecodeError(`an object of ${n} properties in ${this.end - this.p} bytes`);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = this.text(this.u32('a key length'), false, 'a key');
      // Assigning "__proto__" would set the prototype instead of a property.
      if (key === '__proto__') throw new DecodeError('the message has a "__proto__" key');
      out[key] = this.value(depth + 1);
    }
    return out;
  }
}

// Decoding runs no user code, so one reader serves every call.
const reader = new BinaryReader();

/** The value in b[start, end), which must hold exactly one binary value. */
export function decodeBinary(b: Uint8Array, start: number, end: number): unknown {
  const r = reader;
  r.reset(b, start, end);
  try {
    const value = r.value(0);
    if (r.p !== end) throw new DecodeError(`${end - r.p} bytes follow the value`);
    return value;
  } finally {
    r.reset(EMPTY, 0, 0); // hold no reference to the message
  }
}
