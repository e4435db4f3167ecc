// mpi4py's Datatype: the predefined types and the derived-type constructors.
// A Datatype is a native handle; buffer specs [buf, datatype],
// [buf, count, datatype] and [buf, [count, displacement], datatype] use it
// wherever a Capitalized method takes a buffer. Derived types must be
// committed before they describe a message (commit() returns the type, so
// `DOUBLE.createVector(4, 1, 4).commit()` reads as one step).
import type { DatatypeRef } from '../native/addon';
import type { TypedArray } from './element-kinds';
import { addon, native } from './environment';

const types = addon().predefinedTypes;
const orders = addon().typeConstants;

/** Row-major (C) order of createSubarray's dimensions. */
export const ORDER_C: number = orders.ORDER_C;
/** Column-major (Fortran) order of createSubarray's dimensions. */
export const ORDER_FORTRAN: number = orders.ORDER_FORTRAN;

/** The layout of a datatype in bytes. */
interface Layout {
  size: number;
  lb: number;
  extent: number;
  trueLb: number;
  trueExtent: number;
}

export class Datatype implements DatatypeRef {
  #handle: number;
  #predefined: boolean;
  #layout: Layout | undefined;

  /** Datatypes come from the predefined constants and the create* methods. */
  constructor(handle: number, predefined = false) {
    this.#handle = handle;
    this.#predefined = predefined;
  }

  /** The native handle (read by the native layer in buffer specs). */
  get datatypeHandle(): number {
    return this.#handle;
  }

  get isPredefined(): boolean {
    return this.#predefined;
  }

  #read(): Layout {
    if (this.#layout) return this.#layout;
    const [size, lb, extent, trueLb, trueExtent] = native().typeLayout(this.#handle);
    const layout = { size, lb, extent, trueLb, trueExtent };
    // A predefined type's layout never changes; a derived one is fixed at creation.
    this.#layout = layout;
    return layout;
  }

  /** Bytes of data in one item (MPI_Type_size). */
  get size(): number {
    return this.#read().size;
  }
  /** Lower bound in bytes. */
  get lb(): number {
    return this.#read().lb;
  }
  /** Upper bound in bytes (lb + extent). */
  get ub(): number {
    return this.#read().lb + this.#read().extent;
  }
  /** Distance in bytes between consecutive items in a buffer spec. */
  get extent(): number {
    return this.#read().extent;
  }
  /** Lower bound of the bytes actually touched. */
  get trueLb(): number {
    return this.#read().trueLb;
  }
  /** Span of the bytes actually touched. */
  get trueExtent(): number {
    return this.#read().trueExtent;
  }
  /** "MPI_DOUBLE" for predefined types; "vector(DOUBLE)" and the like for derived ones. */
  get name(): string {
    return native().typeName(this.#handle);
  }
  get committed(): boolean {
    return native().typeCommitted(this.#handle);
  }

  /** MPI_Type_commit; returns this type. Predefined types are always committed. */
  commit(): this {
    native().typeCommit(this.#handle);
    return this;
  }

  /** MPI_Type_free (not for predefined types). Operations already posted with it are unaffected. */
  free(): void {
    native().typeFree(this.#handle);
  }

  [Symbol.dispose](): void {
    if (!this.#predefined) this.free();
  }

  /** MPI_Type_dup. */
  dup(): Datatype {
    return new Datatype(native().typeDup(this.#handle));
  }

  /** `count` copies of this type, back to back. */
  createContiguous(count: number): Datatype {
    return new Datatype(native().typeContiguous(count, this.#handle));
  }

  /** `count` blocks of `blocklength` items, `stride` items apart (a column of a row-major matrix). */
  createVector(count: number, blocklength: number, stride: number): Datatype {
    return new Datatype(native().typeVector(count, blocklength, stride, this.#handle));
  }

  /** As createVector, with `stride` in bytes. */
  createHvector(count: number, blocklength: number, stride: number): Datatype {
    return new Datatype(native().typeHvector(count, blocklength, stride, this.#handle));
  }

  /** Blocks of blocklengths[i] items at displacements[i] (in items). */
  createIndexed(blocklengths: ArrayLike<number>, displacements: ArrayLike<number>): Datatype {
    return new Datatype(native().typeIndexed(blocklengths, displacements, this.#handle));
  }

  /** Blocks of `blocklength` items at displacements[i] (in items). */
  createIndexedBlock(blocklength: number, displacements: ArrayLike<number>): Datatype {
    return new Datatype(native().typeIndexedBlock(blocklength, displacements, this.#handle));
  }

  /** As createIndexed, with displacements in bytes. */
  createHindexed(blocklengths: ArrayLike<number>, displacements: ArrayLike<number>): Datatype {
    return new Datatype(native().typeHindexed(blocklengths, displacements, this.#handle));
  }

  /** The block subsizes at starts of an array of sizes (ORDER_C: the last dimension varies fastest). */
  createSubarray(
    sizes: ArrayLike<number>,
    subsizes: ArrayLike<number>,
    starts: ArrayLike<number>,
    order: number = ORDER_C,
  ): Datatype {
    return new Datatype(native().typeSubarray(sizes, subsizes, starts, order, this.#handle));
  }

  /** The same data with a new lower bound and extent (in bytes): sets the step between items. */
  createResized(lb: number, extent: number): Datatype {
    return new Datatype(native().typeResized(this.#handle, lb, extent));
  }

  /** Blocks of blocklengths[i] items of datatypes[i] at byte displacements[i]. */
  static createStruct(
    blocklengths: ArrayLike<number>,
    displacements: ArrayLike<number>,
    datatypes: readonly Datatype[],
  ): Datatype {
    if (!Array.isArray(datatypes)) throw new TypeError('createStruct: datatypes must be an array of Datatypes');
    return new Datatype(
      native().typeStruct(
        blocklengths,
        displacements,
        datatypes.map((d, i) => {
          if (!(d instanceof Datatype)) throw new TypeError(`createStruct: datatypes[${i}] must be a Datatype`);
          return d.datatypeHandle;
        }),
      ),
    );
  }

  toString(): string {
    return `MPI.${this.#predefined ? this.name.replace(/^MPI_/, '') : this.name}`;
  }
}

function predefined(name: string): Datatype {
  const handle = types[name];
  if (handle === undefined) throw new Error(`the addon has no predefined datatype ${name}`);
  return new Datatype(handle, true);
}

export const CHAR: Datatype = predefined('CHAR');
export const SIGNED_CHAR: Datatype = predefined('SIGNED_CHAR');
export const UNSIGNED_CHAR: Datatype = predefined('UNSIGNED_CHAR');
export const BYTE: Datatype = predefined('BYTE');
export const WCHAR: Datatype = predefined('WCHAR');
export const SHORT: Datatype = predefined('SHORT');
export const UNSIGNED_SHORT: Datatype = predefined('UNSIGNED_SHORT');
export const INT: Datatype = predefined('INT');
export const UNSIGNED: Datatype = predefined('UNSIGNED');
/** mpi4py's alias of UNSIGNED. */
export const UNSIGNED_INT: Datatype = UNSIGNED;
export const LONG: Datatype = predefined('LONG');
export const UNSIGNED_LONG: Datatype = predefined('UNSIGNED_LONG');
export const LONG_LONG: Datatype = predefined('LONG_LONG');
export const UNSIGNED_LONG_LONG: Datatype = predefined('UNSIGNED_LONG_LONG');
export const FLOAT: Datatype = predefined('FLOAT');
export const DOUBLE: Datatype = predefined('DOUBLE');
export const LONG_DOUBLE: Datatype = predefined('LONG_DOUBLE');
export const C_BOOL: Datatype = predefined('C_BOOL');
/** mpi4py's alias of C_BOOL. */
export const BOOL: Datatype = C_BOOL;
export const INT8_T: Datatype = predefined('INT8_T');
export const INT16_T: Datatype = predefined('INT16_T');
export const INT32_T: Datatype = predefined('INT32_T');
export const INT64_T: Datatype = predefined('INT64_T');
export const UINT8_T: Datatype = predefined('UINT8_T');
export const UINT16_T: Datatype = predefined('UINT16_T');
export const UINT32_T: Datatype = predefined('UINT32_T');
export const UINT64_T: Datatype = predefined('UINT64_T');
export const AINT: Datatype = predefined('AINT');
export const OFFSET: Datatype = predefined('OFFSET');
export const COUNT: Datatype = predefined('COUNT');
export const PACKED: Datatype = predefined('PACKED');
export const SHORT_INT: Datatype = predefined('SHORT_INT');
export const TWOINT: Datatype = predefined('TWOINT');
export const LONG_INT: Datatype = predefined('LONG_INT');
export const FLOAT_INT: Datatype = predefined('FLOAT_INT');
export const DOUBLE_INT: Datatype = predefined('DOUBLE_INT');
export const LONG_DOUBLE_INT: Datatype = predefined('LONG_DOUBLE_INT');

/** The predefined datatype a view carries on its own (Float64Array -> DOUBLE, DataView -> BYTE, ...). */
export function datatypeOf(view: TypedArray | DataView): Datatype {
  if (view instanceof Float64Array) return DOUBLE;
  if (view instanceof Float32Array) return FLOAT;
  if (view instanceof Int32Array) return INT;
  if (view instanceof Uint32Array) return UNSIGNED;
  if (view instanceof Int16Array) return SHORT;
  if (view instanceof Uint16Array) return UNSIGNED_SHORT;
  if (view instanceof Int8Array) return SIGNED_CHAR;
  if (view instanceof BigInt64Array) return INT64_T;
  if (view instanceof BigUint64Array) return UINT64_T;
  if (view instanceof DataView) return BYTE;
  return UNSIGNED_CHAR; // Uint8Array, Uint8ClampedArray, Buffer
}
