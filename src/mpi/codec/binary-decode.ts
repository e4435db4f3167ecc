// Reads the body of a BINARY message (binary-tags.ts) back into a value.
// Every length is checked against the bytes that remain before anything is
// allocated, nesting is bounded, and a "__proto__" key is refused, so a
// hostile message gives a DecodeError and never sets a prototype.

import {
  BINARY_MAX_DEPTH, TAG_ARRAY, TAG_ASCII, TAG_BIGINT, TAG_FALSE, TAG_FLOAT64, TAG_INT32,
  TAG_NULL, TAG_OBJECT, TAG_TRUE, TAG_UNDEFINED, TAG_UTF8,
} from './binary-tags';
import { DecodeError } from './errors';

/** Strings up to this many bytes are built char by char (cheaper than a native call). */
const SHORT_STRING = 16;
const BIGINT_TEXT = /^-?[0-9]+$/;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

class BinaryReader {
  b: Uint8Array;
  p: number;
  end: number;
  private buf: Buffer | null = null;

  constructor(b: Uint8Array, start: number, end: number) {
    this.b = b;
    this.p = start;
    this.end = end;
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
    this.p = start + n;
    if (n <= SHORT_STRING) {
      const b = this.b;
      let s = '';
      let i = start;
      const stop = start + n;
      for (; i < stop; i++) {
        const c = b[i];
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === stop) return s;
    }
    return this.asBuffer().toString(ascii ? 'latin1' : 'utf8', start, start + n);
  }

  value(depth: number): unknown {
    if (this.p >= this.end) throw new DecodeError(`the value ends early, at byte ${this.p}`);
    const b = this.b;
    const tag = b[this.p++];
    switch (tag) {
      case TAG_UNDEFINED: return undefined;
      case TAG_NULL: return null;
      case TAG_FALSE: return false;
      case TAG_TRUE: return true;
      case TAG_INT32: {
        this.need(4, 'an int32');
        const p = this.p;
        this.p = p + 4;
        return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
      }
      case TAG_FLOAT64: {
        this.need(8, 'a float64');
        const p = this.p;
        const d = f64Bytes;
        d[0] = b[p]; d[1] = b[p + 1]; d[2] = b[p + 2]; d[3] = b[p + 3];
        d[4] = b[p + 4]; d[5] = b[p + 5]; d[6] = b[p + 6]; d[7] = b[p + 7];
        this.p = p + 8;
        return f64[0];
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
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
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

/** The value in b[start, end), which must hold exactly one binary value. */
export function decodeBinary(b: Uint8Array, start: number, end: number): unknown {
  const r = new BinaryReader(b, start, end);
  const value = r.value(0);
  if (r.p !== end) throw new DecodeError(`${end - r.p} bytes follow the value`);
  return value;
}
