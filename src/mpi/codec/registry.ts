// What the sender and receiver agree on besides the built-in types:
// registered classes (instances keep their class) and value extensions
// (values that only an extension knows how to carry, e.g. functions).
// Both must be registered identically on every rank.

export interface ValueExtension<T = unknown, J = unknown> {
  /** Unique name; it is written into messages. */
  name: string;
  isApplicable(v: unknown): v is T;
  /** Must return JSON-compatible data (no undefined, Dates, bigints ...); may throw EncodeError naming `path`. */
  serialize(v: T, path: string): J;
  deserialize(j: J): T;
}

export type AnyClass = new (...a: never[]) => unknown;

/** Registered non-Error classes (carried by superjson's class registry) and Error subclasses (carried by error-values.ts). */
export const classNames = new Map<AnyClass, string>();
export const classesByName = new Map<string, AnyClass>();
export const errorClassNames = new Map<AnyClass, string>();

export const extensions: ValueExtension[] = [];
export const extensionsByName = new Map<string, ValueExtension>();

/** Built-in Error classes, by name; they need no registration. */
export const BUILTIN_ERRORS = new Map<string, AnyClass>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
  ['AggregateError', AggregateError],
]);
export const BUILTIN_ERROR_CTORS = new Set<AnyClass>(BUILTIN_ERRORS.values());

/** The extension that claims `v`, in registration order. */
export function findExtension(v: unknown): ValueExtension | undefined {
  for (let i = 0; i < extensions.length; i++) {
    if (extensions[i].isApplicable(v)) return extensions[i];
  }
  return undefined;
}
