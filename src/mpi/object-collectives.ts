// Collectives of JavaScript values, built on the buffer collectives: sizes
// first, then the bytes with 8-byte aligned displacements so that typed
// arrays decode as views without a copy (mpi4py's msgpickle approach).
import type { NativeAddon } from '../native/addon';
import { concatEncoded, decode, encode } from './codec';

const INT_MAX = 0x7fffffff;

export const align8 = (n: number): number => (n + 7) & ~7;

export function encodeBytes(value: unknown, root: string): Uint8Array {
  return concatEncoded(encode(value, { root }));
}

export function decodeAt(buf: Uint8Array, offset: number, length: number): unknown {
  return decode(new Uint8Array(buf.buffer, buf.byteOffset + offset, length));
}

/** Displacements (aligned) and total for the given per-rank byte counts. */
export function layout(counts: Int32Array, where: string): { displs: Int32Array; total: number } {
  const displs = new Int32Array(counts.length);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    displs[i] = total;
    total = align8(total + counts[i]);
    if (total > INT_MAX) {
      throw new RangeError(`${where}: the values add up to more than 2 GiB, the limit of a collective of values; ` +
        'send large buffers with the Capitalized buffer methods or point to point');
    }
  }
  return { displs, total };
}

export function checkLength(n: number, where: string): number {
  if (n > INT_MAX) throw new RangeError(`${where}: a value over 2 GiB cannot take part in a collective; send it point to point`);
  return n;
}

/** Concatenates encoded values at aligned offsets. */
export function pack(items: Uint8Array[], where: string): { buf: Uint8Array; counts: Int32Array; displs: Int32Array } {
  const counts = Int32Array.from(items, (b) => checkLength(b.byteLength, where));
  const { displs, total } = layout(counts, where);
  const buf = new Uint8Array(total);
  items.forEach((b, i) => buf.set(b, displs[i]));
  return { buf, counts, displs };
}

export function unpackAll(buf: Uint8Array, counts: Int32Array, displs: Int32Array): unknown[] {
  const out = new Array<unknown>(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = decodeAt(buf, displs[i], counts[i]);
  return out;
}

/** allgather of values: every rank gets every rank's value, in rank order. */
export function allgatherValues(N: NativeAddon, comm: number, size: number, value: unknown, where: string): unknown[] {
  const mine = encodeBytes(value, where);
  const counts = new Int32Array(size);
  N.allgather(comm, Int32Array.of(checkLength(mine.byteLength, where)), counts);
  const { displs, total } = layout(counts, where);
  const buf = new Uint8Array(total);
  N.allgatherv(comm, mine, buf, counts, displs);
  return unpackAll(buf, counts, displs);
}
