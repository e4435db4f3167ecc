// The binary fast path of encode(): plain values (numbers of every kind,
// strings, booleans, null, undefined, bigints, dense or sparse arrays and
// plain objects of them, each object reached once) written straight into a
// byte buffer, with no JSON text, no superjson and no intermediate strings.
// It DECLINES (returns false) on anything else (typed arrays, Dates, Maps,
// classes, shared or circular objects, a "__proto__" key, strings with lone
// surrogates, nesting deeper than BINARY_MAX_DEPTH, ...): encode() then runs
// the general path, which carries the value or names what cannot be carried.
// Layout of the body: binary-tags.ts and wire-format.ts.

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
import { Visited } from './visited';

const ObjectPrototype = Object.prototype;
const ArrayPrototype = Array.prototype;
const getPrototypeOf = Object.getPrototypeOf;

/** A message this large is left to the general path (which reports its limits). */
const BINARY_MAX_BYTES = 1 << 30;
/** Strings up to this many UTF-16 units are copied byte by byte (cheaper than a native call). */
const SHORT_STRING = 32;
/** Above this many UTF-16 units a string is measured instead of reserving 3 bytes per unit. */
const MEASURE_ABOVE = 1 << 16;
/** More holes than this in one array: the general path's sparse form is smaller (holes arrive as undefined either way). */
const MAX_HOLES = 1024;
/** Objects tracked in a list (cheap for small values), then in a Set. */
const SEEN_LIST_MAX = 32;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

type WellFormed = (this: string) => boolean;
const nativeWellFormed = (String.prototype as unknown as { isWellFormed?: WellFormed }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** UTF-8 cannot carry lone surrogates: such strings go the general (JSON-escaped) way. */
const isWellFormed = (s: string): boolean => (nativeWellFormed ? nativeWellFormed.call(s) : !LONE_SURROGATE.test(s));

function isObjectPrototypeClean(): boolean {
  for (const _ in ObjectPrototype) return false;
  return true;
}

/** Writes one value at `pos` of `out`, growing `out` (a new Buffer) when needed. */
export class BinaryWriter {
  out: Buffer;
  pos = 0;
  private readonly visited = new Visited<object>(SEEN_LIST_MAX);

  constructor(out: Buffer) {
    this.out = out;
  }

  /** Writes `value` starting at `start`; false (and nothing usable written) if the value is not plain. */
  write(value: unknown, start: number): boolean {
    this.pos = start;
    if (!isObjectPrototypeClean()) return false;
    try {
      return this.value(value, 0);
    } finally {
      this.visited.clear();
    }
  }

  private ensure(n: number): boolean {
    const need = this.pos + n;
    if (need <= this.out.length) return true;
    if (need > BINARY_MAX_BYTES) return false;
    const grown = Buffer.allocUnsafeSlow(Math.min(BINARY_MAX_BYTES, Math.max(need, this.out.length * 2)));
    this.out.copy(grown, 0, 0, this.pos);
    this.out = grown;
    return true;
  }

  private u32(at: number, n: number): void {
    const o = this.out;
    o[at] = n;
    o[at + 1] = n >>> 8;
    o[at + 2] = n >>> 16;
    o[at + 3] = n >>> 24;
  }

  private value(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case 'number':
        return this.number(v);
      case 'string':
        return this.string(v, true);
      case 'boolean':
        if (!this.ensure(1)) return false;
        this.out[this.pos++] = v ? TAG_TRUE : TAG_FALSE;
        return true;
      case 'object':
        if (v === null) {
          if (!this.ensure(1)) return false;
          this.out[this.pos++] = TAG_NULL;
          return true;
        }
        return this.object(v, depth);
      case 'undefined':
        if (!this.ensure(1)) return false;
        this.out[this.pos++] = TAG_UNDEFINED;
        return true;
      case 'bigint':
        return this.bigint(v);
      default:
        return false; // functions and symbols: the general path explains
    }
  }

  private number(v: number): boolean {
    if (!this.ensure(9)) return false;
    const o = this.out;
    let p = this.pos;
    if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
      o[p] = TAG_INT32;
      o[p + 1] = v;
      o[p + 2] = v >> 8;
      o[p + 3] = v >> 16;
      o[p + 4] = v >> 24;
      this.pos = p + 5;
      return true;
    }
    o[p++] = TAG_FLOAT64;
    f64[0] = v;
    const b = f64Bytes;
    o[p] = b[0];
    o[p + 1] = b[1];
    o[p + 2] = b[2];
    o[p + 3] = b[3];
    o[p + 4] = b[4];
    o[p + 5] = b[5];
    o[p + 6] = b[6];
    o[p + 7] = b[7];
    this.pos = p + 8;
    return true;
  }

  /** A string as TAG_ASCII / TAG_UTF8 (`tagged`) or, for object keys, just its length and bytes. */
  private string(s: string, tagged: boolean): boolean {
    const n = s.length;
    const head = tagged ? 5 : 4;
    if (n <= SHORT_STRING) {
      if (!this.ensure(head + n * 3)) return false;
      const o = this.out;
      const at = this.pos + head;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        o[at + i] = c;
      }
      if (i === n) {
        if (tagged) o[this.pos] = TAG_ASCII;
        this.u32(at - 4, n);
        this.pos = at + n;
        return true;
      }
    } else if (!this.ensure(head + (n > MEASURE_ABOVE ? Buffer.byteLength(s) : n * 3))) {
      return false;
    }
    const at = this.pos + head;
    const bytes = this.out.write(s, at);
    // Every unit became one byte only for pure ASCII; otherwise make sure
    // no lone surrogate was replaced by U+FFFD.
    if (bytes !== n && !isWellFormed(s)) return false;
    if (tagged) this.out[this.pos] = bytes === n ? TAG_ASCII : TAG_UTF8;
    this.u32(at - 4, bytes);
    this.pos = at + bytes;
    return true;
  }

  private bigint(v: bigint): boolean {
    const text = v.toString();
    if (!this.ensure(5 + text.length)) return false;
    const o = this.out;
    o[this.pos] = TAG_BIGINT;
    this.u32(this.pos + 1, text.length);
    const at = this.pos + 5;
    for (let i = 0; i < text.length; i++) o[at + i] = text.charCodeAt(i);
    this.pos = at + text.length;
    return true;
  }

  private object(o: object, depth: number): boolean {
    if (depth >= BINARY_MAX_DEPTH || !this.visited.first(o)) return false;
    const proto = getPrototypeOf(o) as object | null;
    if (proto === ArrayPrototype && Array.isArray(o)) return this.array(o, depth);
    if (proto !== ObjectPrototype) return false;
    if (!this.ensure(5)) return false;
    const countAt = this.pos + 1;
    this.out[this.pos] = TAG_OBJECT;
    this.pos += 5;
    let count = 0;
    const rec = o as Record<string, unknown>;
    // for-in lists exactly the own enumerable string keys: write() checked
    // that Object.prototype has no enumerable property.
    for (const k in rec) {
      if (k === '__proto__') return false;
      if (!this.string(k, false) || !this.value(rec[k], depth + 1)) return false;
      count++;
    }
    this.u32(countAt, count);
    return true;
  }

  private array(a: unknown[], depth: number): boolean {
    const n = a.length;
    if (!this.ensure(5)) return false;
    this.out[this.pos] = TAG_ARRAY;
    this.u32(this.pos + 1, n);
    this.pos += 5;
    let holes = 0;
    for (let i = 0; i < n; i++) {
      const x = a[i];
      if (x === undefined && !(i in a)) {
        if (++holes > MAX_HOLES || !this.ensure(1)) return false;
        this.out[this.pos++] = TAG_UNDEFINED;
        continue;
      }
      if (!this.value(x, depth + 1)) return false;
    }
    return true;
  }
}
