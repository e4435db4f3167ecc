// Errors, carried by a custom superjson transformer instead of superjson's
// own rule (which sends only name and message and always rebuilds a plain
// Error). An Error becomes the object
//   { ...own enumerable properties, name, message, stack, cause?, errors?, "@@class": C }
// whose keys are the property names of the rebuilt error, so superjson's
// paths (nested values, shared references) stay valid. C is the error's
// registered class, else its nearest built-in class (TypeError, RangeError,
// ..., AggregateError, Error); the rebuilt error is created with
// Reflect.construct(builtin, [message], C), so it is a real Error of class C
// (the constructor of C is not run).

import { DecodeError } from './errors';
import { AnyClass, BUILTIN_ERRORS, BUILTIN_ERROR_CTORS, classesByName, errorClassNames } from './registry';

export const ERROR_CLASS_KEY = '@@class';
const SPECIAL = new Set(['name', 'message', 'stack', 'cause', ERROR_CLASS_KEY]);

type Props = Record<string, unknown>;

function define(o: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(o, key, { value, writable: true, configurable: true, enumerable });
}

/** The name under which the class of `e` (or its nearest known ancestor) travels. */
function className(e: Error): string {
  for (let p: object | null = Object.getPrototypeOf(e); p !== null; p = Object.getPrototypeOf(p)) {
    const ctor = Object.prototype.hasOwnProperty.call(p, 'constructor')
      ? (p as { constructor: AnyClass }).constructor
      : undefined;
    if (ctor === undefined) continue;
    const registered = errorClassNames.get(ctor);
    if (registered !== undefined) return registered;
    if (BUILTIN_ERROR_CTORS.has(ctor)) return ctor.name;
  }
  return 'Error';
}

export function serializeError(e: Error): Props {
  const j: Props = {};
  for (const k of Object.keys(e)) define(j, k, (e as unknown as Props)[k], true);
  j.name = e.name;
  j.message = e.message;
  if (typeof e.stack === 'string') j.stack = e.stack;
  if ('cause' in e) j.cause = e.cause;
  if (e instanceof AggregateError) j.errors = e.errors;
  j[ERROR_CLASS_KEY] = className(e);
  return j;
}

function builtinBase(cls: AnyClass): AnyClass {
  for (let p: object | null = cls.prototype as object; p !== null; p = Object.getPrototypeOf(p)) {
    const ctor = (p as { constructor?: AnyClass }).constructor;
    if (ctor !== undefined && BUILTIN_ERROR_CTORS.has(ctor) && ctor.prototype === p) return ctor;
  }
  return Error;
}

export function restoreError(j: unknown): Error {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new DecodeError('an Error must be an object');
  const props = j as Props;
  const name = props[ERROR_CLASS_KEY];
  let cls: AnyClass = Error;
  if (typeof name === 'string') {
    const registered = classesByName.get(name);
    cls =
      BUILTIN_ERRORS.get(name) ?? (registered !== undefined && errorClassNames.has(registered) ? registered : Error);
  }
  const base = builtinBase(cls);
  const message = typeof props.message === 'string' ? props.message : '';
  const isAggregate = base === AggregateError;
  const e = (
    isAggregate
      ? Reflect.construct(AggregateError, [Array.isArray(props.errors) ? props.errors : [], message], cls)
      : Reflect.construct(base, [message], cls)
  ) as Error;
  if (typeof props.stack === 'string') define(e, 'stack', props.stack, false);
  else delete e.stack;
  if (typeof props.name === 'string' && props.name !== e.name) define(e, 'name', props.name, false);
  if (Object.prototype.hasOwnProperty.call(props, 'cause')) define(e, 'cause', props.cause, false);
  for (const k of Object.keys(props)) {
    if (SPECIAL.has(k) || (isAggregate && k === 'errors')) continue;
    define(e, k, props[k], true);
  }
  return e;
}
