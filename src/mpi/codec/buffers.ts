// Typed array kinds <-> wire kind codes, and the views that carry their bytes.
//
// On the sender a buffer's bytes are sent as a Uint8Array over the SAME memory
// (never a copy); a subarray sends only its own bytes. On the receiver a
// buffer is a view over the message (unless copying is asked for, or the
// message memory is not aligned for the element size); ArrayBuffer and
// SharedArrayBuffer cannot be views, so they are always copies.

import { DecodeError } from './errors';

type TypedArrayCtor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor;

export interface BufferKind {
  readonly code: number;
  readonly name: string;
  /** Bytes per element for typed arrays, 1 otherwise. */
  readonly align: number;
  /** Typed array constructor, or undefined for Buffer / DataView / ArrayBuffer / SharedArrayBuffer. */
  readonly ctor: TypedArrayCtor | undefined;
}

export const KIND_BUFFER = 12;
export const KIND_DATAVIEW = 13;
export const KIND_ARRAYBUFFER = 14;
export const KIND_SHAREDARRAYBUFFER = 15;

const TYPED: readonly TypedArrayCtor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** KINDS[code]; code 0 is unused. */
export const KINDS: readonly (BufferKind | undefined)[] = (() => {
  const kinds: (BufferKind | undefined)[] = [undefined];
  TYPED.forEach((ctor, i) => kinds.push({ code: i + 1, name: ctor.name, align: ctor.BYTES_PER_ELEMENT, ctor }));
  kinds.push({ code: KIND_BUFFER, name: 'Buffer', align: 1, ctor: undefined });
  kinds.push({ code: KIND_DATAVIEW, name: 'DataView', align: 1, ctor: undefined });
  kinds.push({ code: KIND_ARRAYBUFFER, name: 'ArrayBuffer', align: 1, ctor: undefined });
  kinds.push({ code: KIND_SHAREDARRAYBUFFER, name: 'SharedArrayBuffer', align: 1, ctor: undefined });
  return kinds;
})();

const byProto = new Map<object, BufferKind>();
TYPED.forEach((ctor, i) => byProto.set(ctor.prototype, KINDS[i + 1] as BufferKind));
byProto.set(Buffer.prototype, KINDS[KIND_BUFFER] as BufferKind);
byProto.set(DataView.prototype, KINDS[KIND_DATAVIEW] as BufferKind);
byProto.set(ArrayBuffer.prototype, KINDS[KIND_ARRAYBUFFER] as BufferKind);
byProto.set(SharedArrayBuffer.prototype, KINDS[KIND_SHAREDARRAYBUFFER] as BufferKind);

/** The buffer kind of an object with exactly this prototype, if any. */
export function kindOfProto(proto: object | null): BufferKind | undefined {
  return proto === null ? undefined : byProto.get(proto);
}

/** The bytes of a buffer value as a Uint8Array over the same memory (no copy). */
export function bytesOf(value: object, kind: BufferKind): Uint8Array {
  if (kind.code === KIND_ARRAYBUFFER || kind.code === KIND_SHAREDARRAYBUFFER) {
    return new Uint8Array(value as ArrayBuffer);
  }
  const view = value as ArrayBufferView;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function copyToArrayBuffer(msg: Uint8Array, offset: number, length: number): ArrayBuffer {
  const out = new ArrayBuffer(length);
  new Uint8Array(out).set(msg.subarray(offset, offset + length));
  return out;
}

/**
 * The value of kind `code` whose bytes are msg[offset, offset + length):
 * a view over the message memory unless `copy` (or misalignment) forces a copy.
 */
export function fromMessage(code: number, msg: Uint8Array, offset: number, length: number, copy: boolean): unknown {
  const kind = KINDS[code];
  if (kind === undefined) throw new DecodeError(`unknown buffer kind ${code}`);
  const at = msg.byteOffset + offset;
  const ctor = kind.ctor;
  if (ctor !== undefined) {
    const bpe = ctor.BYTES_PER_ELEMENT;
    if (length % bpe !== 0) throw new DecodeError(`${length} bytes is not a whole number of ${kind.name} elements`);
    if (!copy && at % bpe === 0) return new ctor(msg.buffer as ArrayBuffer, at, length / bpe);
    const out = new ctor(length / bpe);
    new Uint8Array(out.buffer).set(msg.subarray(offset, offset + length));
    return out;
  }
  switch (code) {
    case KIND_BUFFER:
      return copy ? Buffer.from(copyToArrayBuffer(msg, offset, length)) : Buffer.from(msg.buffer, at, length);
    case KIND_DATAVIEW:
      return copy ? new DataView(copyToArrayBuffer(msg, offset, length)) : new DataView(msg.buffer, at, length);
    case KIND_ARRAYBUFFER:
      return copyToArrayBuffer(msg, offset, length);
    default: {
      const out = new SharedArrayBuffer(length);
      new Uint8Array(out).set(msg.subarray(offset, offset + length));
      return out;
    }
  }
}

/** Uninitialised memory of exactly `bytes` bytes, in an ArrayBuffer of its own. */
export type MemorySource = (bytes: number) => ArrayBuffer;

// allocUnsafeSlow: an ArrayBuffer of its own, exactly `length` bytes, not zero-filled.
const freshMemory: MemorySource = (bytes) => Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;

/**
 * A new value of kind `code` with `length` bytes of uninitialised memory
 * (the caller fills all of it, e.g. MPI receives into `bytes`): exactly the
 * size needed, allocated once, not zeroed first.
 */
export function allocateBuffer(
  code: number,
  length: number,
  source: MemorySource = freshMemory,
): { value: unknown; bytes: Uint8Array } {
  const kind = KINDS[code];
  if (kind === undefined) throw new DecodeError(`unknown buffer kind ${code}`);
  const ctor = kind.ctor;
  if (ctor !== undefined && length % ctor.BYTES_PER_ELEMENT !== 0)
    throw new DecodeError(`${length} bytes is not a whole number of ${kind.name} elements`);
  if (code === KIND_SHAREDARRAYBUFFER) {
    const shared = new SharedArrayBuffer(length);
    return { value: shared, bytes: new Uint8Array(shared) };
  }
  const memory = source(length);
  if (memory.byteLength !== length) throw new RangeError(`memory of ${memory.byteLength} bytes for ${length}`);
  const bytes = new Uint8Array(memory);
  if (ctor !== undefined) return { value: new ctor(memory), bytes };
  switch (code) {
    case KIND_BUFFER:
      return { value: Buffer.from(memory), bytes };
    case KIND_DATAVIEW:
      return { value: new DataView(memory), bytes };
    default:
      return { value: memory, bytes };
  }
}
