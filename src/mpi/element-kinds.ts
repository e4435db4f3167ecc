// The element kinds of typed buffers as the native layer numbers them (the
// kind a user op's callback is told): 0-9 the typed arrays below, 10 bytes
// (any other view, such as a DataView).
export const ELEMENT_VIEWS = [
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  Uint8Array,
] as const;

/** Every typed array class's instances (not DataView). */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The kind of a view's elements. */
export function elementKind(v: ArrayBufferView): number {
  const i = ELEMENT_VIEWS.findIndex((K) => v instanceof K);
  return i < 0 ? 10 : i;
}
