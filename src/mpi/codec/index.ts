// The value codec: any JavaScript value <-> the bytes of ONE MPI message.
// Plain values take a binary fast path (binary-encode.ts), plain JSON that it
// declines (lone surrogates) JSON.stringify / JSON.parse; anything
// else goes through superjson, with typed arrays, ArrayBuffers, DataViews
// and Buffers carried out of band as raw bytes. See wire-format.ts for the
// layout, walk.ts for what is accepted, paths.ts for the error path notation.

export { encode, concatEncoded, copyParts } from './encode';
export type { Encoded, EncodeOptions } from './encode';
export { allocateDetached, decode, decodePrefix, messageFormat } from './decode';
export type { DecodeOptions, Detached } from './decode';
export type { MemorySource } from './buffers';
export { EncodeError, DecodeError } from './errors';
export type { ValueExtension } from './registry';
export { registerExtension, registerClass } from './registration';
export type { MessageFormat } from './wire-format';
