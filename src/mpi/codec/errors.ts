// The two errors of the value codec.
//
// EncodeError is thrown on the SENDER, before anything is returned, when a
// value cannot be carried. `path` names the offending place in the value in
// the notation documented in paths.ts (e.g. `args[1].onDone`,
// `value.m<Map>.get("k")`). It extends TypeError: the value has the wrong type.
//
// DecodeError is thrown by decode() for any malformed or hostile message.

export class EncodeError extends TypeError {
  readonly path: string;

  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot send ${path}: ${reason}`, options);
    this.path = path;
  }
}
Object.defineProperty(EncodeError.prototype, 'name', {
  value: 'EncodeError',
  writable: true,
  configurable: true,
  enumerable: false,
});

export class DecodeError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Malformed message: ${reason}`, options);
  }
}
Object.defineProperty(DecodeError.prototype, 'name', {
  value: 'DecodeError',
  writable: true,
  configurable: true,
  enumerable: false,
});
