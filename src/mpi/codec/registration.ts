// registerClass and registerExtension: call them identically on every rank.

import {
  AnyClass,
  BUILTIN_ERRORS,
  BUILTIN_ERROR_CTORS,
  ValueExtension,
  classNames,
  classesByName,
  errorClassNames,
  extensions,
  extensionsByName,
} from './registry';
import { superjson } from './superjson-setup';

type Ctor = abstract new (...a: never[]) => unknown;

/** Built-ins whose instances keep their contents in internal slots: a registered subclass would arrive empty. */
const SLOTTED: readonly [Ctor, string][] = [
  [Map, 'Map'],
  [Set, 'Set'],
  [WeakMap, 'WeakMap'],
  [WeakSet, 'WeakSet'],
  [WeakRef, 'WeakRef'],
  [Date, 'Date'],
  [RegExp, 'RegExp'],
  [URL, 'URL'],
  [Array, 'Array'],
  [Promise, 'Promise'],
  [ArrayBuffer, 'ArrayBuffer'],
  [SharedArrayBuffer, 'SharedArrayBuffer'],
  [DataView, 'DataView'],
  [Object.getPrototypeOf(Int8Array) as Ctor, 'TypedArray'],
  [Function, 'Function'],
];

/**
 * Instances of `cls` keep their class across ranks: own enumerable
 * properties travel (as with superjson's registerClass), the constructor is
 * not run on the receiver. Subclasses of Error also keep message, stack and
 * cause. `name` (default cls.name) identifies the class in messages;
 * registering the same class under the same name again is a no-op.
 */
export function registerClass(cls: new (...a: never[]) => unknown, name?: string): void {
  if (typeof cls !== 'function' || typeof cls.prototype !== 'object' || cls.prototype === null) {
    throw new TypeError('registerClass expects a class');
  }
  const id = name ?? cls.name;
  if (typeof id !== 'string' || id === '') {
    throw new TypeError('registerClass: the class has no name; pass one as the second argument');
  }
  const existing = classesByName.get(id);
  if (existing === cls) return;
  if (BUILTIN_ERROR_CTORS.has(cls) && id === cls.name) return; // built-in errors need no registration
  if (existing !== undefined || BUILTIN_ERRORS.has(id)) {
    throw new Error(`registerClass: the name "${id}" is already registered for another class`);
  }
  const prior = classNames.get(cls) ?? errorClassNames.get(cls);
  if (prior !== undefined) throw new Error(`registerClass: class ${cls.name} is already registered as "${prior}"`);
  if ((cls as unknown) === Object) throw new Error('registerClass: Object cannot be registered');
  for (const [base, baseName] of SLOTTED) {
    if ((cls as unknown) === base || cls.prototype instanceof base) {
      throw new Error(
        `registerClass: ${id} extends ${baseName}, whose contents superjson cannot carry in a class instance`,
      );
    }
  }
  const anyClass = cls as AnyClass;
  classesByName.set(id, anyClass);
  if (cls.prototype instanceof Error) {
    errorClassNames.set(anyClass, id);
  } else {
    classNames.set(anyClass, id);
    superjson.registerClass(cls as unknown as new (...a: unknown[]) => unknown, id);
  }
}

/**
 * Lets values that the codec does not know (functions, handles, ...) cross
 * ranks. An extension is asked only about values that are not otherwise
 * supported: functions, symbols, and objects that are not plain objects,
 * arrays, built-in supported types, Errors or registered classes. Its
 * serialize() output must be JSON data.
 */
export function registerExtension<T, J>(ext: ValueExtension<T, J>): void {
  if (
    typeof ext !== 'object' ||
    ext === null ||
    typeof ext.name !== 'string' ||
    ext.name === '' ||
    typeof ext.isApplicable !== 'function' ||
    typeof ext.serialize !== 'function' ||
    typeof ext.deserialize !== 'function'
  ) {
    throw new TypeError('registerExtension expects { name, isApplicable, serialize, deserialize }');
  }
  const existing = extensionsByName.get(ext.name);
  if ((existing as unknown) === ext) return;
  if (existing !== undefined)
    throw new Error(`registerExtension: an extension named "${ext.name}" is already registered`);
  const stored = ext as unknown as ValueExtension;
  extensions.push(stored);
  extensionsByName.set(ext.name, stored);
}
