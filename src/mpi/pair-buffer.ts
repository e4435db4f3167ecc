// Buffers of (value, index) pairs for MAXLOC and MINLOC: the memory layout of
// MPI's pair datatypes (the C struct of a value and an int, padded), read and
// written through get/set. A PairBuffer passed to a buffer reduction makes
// MPI reduce it as that pair type; elsewhere its bytes travel as they are.
import { endianness } from 'node:os';
import { addon } from './environment';

/** MPI's pair datatypes: MPI_FLOAT_INT, MPI_DOUBLE_INT, MPI_LONG_INT, MPI_2INT, MPI_SHORT_INT. */
export type PairType = 'FLOAT_INT' | 'DOUBLE_INT' | 'LONG_INT' | '2INT' | 'SHORT_INT';

/** Native pair index, value size, and how a value is read/written. */
const LAYOUT: Record<PairType, { code: number; size: number }> = {
  FLOAT_INT: { code: 0, size: 4 },
  DOUBLE_INT: { code: 1, size: 8 },
  LONG_INT: { code: 2, size: 8 },
  '2INT': { code: 3, size: 4 },
  SHORT_INT: { code: 4, size: 2 },
};
const TYPES = Object.keys(LAYOUT) as PairType[];
const LITTLE = endianness() === 'LE';
let extents: number[] | undefined;

/** Bytes per pair, padding included, as the MPI library lays it out. */
function extentOf(type: PairType): number {
  extents ??= addon().pairExtents();
  return extents[LAYOUT[type].code];
}

export class PairBuffer {
  readonly type: PairType;
  readonly length: number;
  /** The pairs' memory, as MPI sees it. */
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  readonly #extent: number;
  readonly #indexAt: number;

  /** `length` pairs of `type`, all (0, 0); or a view of existing memory holding whole pairs. */
  constructor(type: PairType, length: number | Uint8Array) {
    if (!(type in LAYOUT)) {
      throw new TypeError(`PairBuffer: type must be one of ${TYPES.join(', ')}; got ${String(type)}`);
    }
    this.type = type;
    this.#extent = extentOf(type);
    this.#indexAt = Math.max(4, LAYOUT[type].size);
    if (typeof length === 'number') {
      if (!Number.isInteger(length) || length < 0)
        throw new RangeError(`PairBuffer: length must be an integer >= 0, got ${length}`);
      this.bytes = new Uint8Array(length * this.#extent);
    } else {
      if (length.byteLength % this.#extent !== 0) {
        throw new RangeError(
          `PairBuffer: ${length.byteLength} bytes is not a whole number of ${type} pairs (${this.#extent} bytes each)`,
        );
      }
      this.bytes = length;
    }
    this.length = this.bytes.byteLength / this.#extent;
    this.#view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** A PairBuffer holding `pairs`. */
  static from(type: PairType, pairs: ReadonlyArray<readonly [number, number]>): PairBuffer {
    const out = new PairBuffer(type, pairs.length);
    pairs.forEach(([value, index], i) => out.set(i, value, index));
    return out;
  }

  /** The native index of the pair type (for the addon). @internal */
  get code(): number {
    return LAYOUT[this.type].code;
  }

  #at(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new RangeError(`PairBuffer: index ${i} is out of range (length ${this.length})`);
    return i * this.#extent;
  }

  /** Pair i as [value, index]. */
  get(i: number): [number, number] {
    const at = this.#at(i);
    const v = this.#view;
    let value: number;
    switch (this.type) {
      case 'FLOAT_INT':
        value = v.getFloat32(at, LITTLE);
        break;
      case 'DOUBLE_INT':
        value = v.getFloat64(at, LITTLE);
        break;
      case 'LONG_INT':
        value = Number(v.getBigInt64(at, LITTLE));
        break;
      case '2INT':
        value = v.getInt32(at, LITTLE);
        break;
      case 'SHORT_INT':
        value = v.getInt16(at, LITTLE);
        break;
    }
    return [value, v.getInt32(at + this.#indexAt, LITTLE)];
  }

  /** Sets pair i to (value, index); value is converted like a typed array element. */
  set(i: number, value: number, index: number): void {
    const at = this.#at(i);
    const v = this.#view;
    switch (this.type) {
      case 'FLOAT_INT':
        v.setFloat32(at, value, LITTLE);
        break;
      case 'DOUBLE_INT':
        v.setFloat64(at, value, LITTLE);
        break;
      case 'LONG_INT':
        v.setBigInt64(at, BigInt(Math.trunc(value)), LITTLE);
        break;
      case '2INT':
        v.setInt32(at, value, LITTLE);
        break;
      case 'SHORT_INT':
        v.setInt16(at, value, LITTLE);
        break;
    }
    v.setInt32(at + this.#indexAt, index, LITTLE);
  }

  /** Every pair, as [value, index] arrays. */
  toArray(): Array<[number, number]> {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }
}

/** The PairType of a native pair index (the view a user op receives). @internal */
export function pairTypeOf(code: number): PairType {
  return TYPES[code];
}
