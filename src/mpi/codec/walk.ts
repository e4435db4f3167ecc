// The one walk over a value the binary form declined (encode.ts). In a
// single pass it
//  - decides the format: plain JSON (fast path) when the value holds only
//    plain objects (prototype Object.prototype), dense arrays, strings,
//    booleans, null and finite numbers other than -0, each object reached
//    once; superjson otherwise;
//  - validates: anything that cannot be carried throws EncodeError naming
//    its path (notation in paths.ts), before anything is built;
//  - prepares the superjson run: out-of-band buffers get their index and
//    bytes, extension values are serialized (with their path), invalid Dates
//    and sparse arrays are marked (superjson-setup.ts).
// Every object is visited once: a second visit (shared or circular
// reference) only forces the superjson path.

import { EncodeError } from './errors';
import { bytesOf, kindOfProto } from './buffers';
import { SEG_INDEX, SEG_MAP_KEY, SEG_MAP_VALUE, SEG_PROP, SEG_SET_ITEM, segment } from './paths';
import { AnyClass, classNames, findExtension, ValueExtension } from './registry';
import type { LeafJson } from './superjson-setup';
import { Visited } from './visited';

const ObjectPrototype = Object.prototype;
const ArrayPrototype = Array.prototype;
const getPrototypeOf = Object.getPrototypeOf;

/** Built-ins that cannot travel, with the reason. */
const UNSUPPORTED = new Map<object, string>([
  [Promise.prototype, 'a Promise cannot be sent (await it and send its result)'],
  [WeakMap.prototype, 'a WeakMap cannot be sent (its entries cannot be enumerated)'],
  [WeakSet.prototype, 'a WeakSet cannot be sent (its members cannot be enumerated)'],
  [WeakRef.prototype, 'a WeakRef cannot be sent'],
  [FinalizationRegistry.prototype, 'a FinalizationRegistry cannot be sent'],
  [Number.prototype, 'a boxed Number cannot be sent (send the primitive)'],
  [String.prototype, 'a boxed String cannot be sent (send the primitive)'],
  [Boolean.prototype, 'a boxed Boolean cannot be sent (send the primitive)'],
  [BigInt.prototype, 'a boxed BigInt cannot be sent (send the primitive)'],
  [Symbol.prototype, 'a boxed Symbol cannot be sent'],
]);

/** Supported built-ins whose subclasses are not: [constructor, name]. */
const BASES: readonly [abstract new (...a: never[]) => unknown, string][] = [
  [Map, 'Map'],
  [Set, 'Set'],
  [Date, 'Date'],
  [RegExp, 'RegExp'],
  [URL, 'URL'],
  [Array, 'Array'],
  [Object.getPrototypeOf(Int8Array) as abstract new (...a: never[]) => unknown, 'a typed array'],
  [ArrayBuffer, 'ArrayBuffer'],
  [DataView, 'DataView'],
];

function describeFunction(f: Function): string {
  return f.name ? `function ${f.name}` : 'an anonymous function';
}

const SEEN_LIST_MAX = 16;

function isObjectPrototypeClean(): boolean {
  for (const _ in ObjectPrototype) return false;
  return true;
}

export class Walker {
  root = 'value';
  /** False while the value is plain JSON. */
  sj = false;
  /** The value itself is one buffer. */
  rootBuffer = false;
  /** Path of the first 'constructor' / 'prototype' key (superjson refuses them). */
  badKey: string | null = null;
  /** superjson 'v' leaves: buffers, extension values, invalid Dates. */
  leaf: Map<unknown, LeafJson> | null = null;
  sparse: Set<unknown> | null = null;
  buffers: Uint8Array[] = [];
  kinds: number[] = [];

  private readonly visited = new Visited<unknown>(SEEN_LIST_MAX);
  private forIn = true;
  private keptObjects = false;
  // The path to a node at depth d is root + segment 0 + ... + segment d-1.
  private segType: number[] = [];
  private segKey: unknown[] = [];
  private segIndex: number[] = [];

  run(value: unknown, root: string): void {
    this.root = root;
    this.forIn = isObjectPrototypeClean();
    this.value(value, 0);
  }

  reset(): void {
    this.sj = false;
    this.rootBuffer = false;
    this.badKey = null;
    this.leaf = null;
    this.sparse = null;
    if (this.buffers.length !== 0) {
      this.buffers = [];
      this.kinds = [];
    }
    this.visited.clear();
    if (this.keptObjects) {
      this.segKey.fill(undefined);
      this.keptObjects = false;
    }
  }

  /** The path of the node at depth `d`. */
  path(d: number): string {
    let p = this.root;
    for (let i = 0; i < d; i++) p += segment(this.segType[i], this.segKey[i], this.segIndex[i]);
    return p;
  }

  private fail(d: number, reason: string): never {
    throw new EncodeError(this.path(d), reason);
  }

  private value(v: unknown, d: number): void {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (v - v !== 0 || (v === 0 && 1 / v < 0)) this.sj = true; // NaN, +-Infinity, -0
        return;
      case 'object':
        if (v !== null) this.object(v, d);
        return;
      case 'undefined':
      case 'bigint':
        this.sj = true;
        return;
      default:
        this.exotic(v, d);
    }
  }

  private object(o: object, d: number): void {
    if (!this.visited.first(o)) {
      this.sj = true;
      return;
    }
    const proto = getPrototypeOf(o) as object | null;
    if (proto === ObjectPrototype) {
      this.props(o, d, this.forIn);
    } else if (proto === ArrayPrototype && Array.isArray(o)) {
      this.array(o, d);
    } else {
      this.sj = true;
      this.special(o, proto, d);
    }
  }

  /** Own enumerable string-keyed properties; `forIn` when for-in would list exactly those. */
  private props(o: object, d: number, forIn = false): void {
    const rec = o as Record<string, unknown>;
    this.segType[d] = SEG_PROP;
    if (forIn) {
      for (const k in rec) {
        this.segKey[d] = k;
        if (k === '__proto__' || k === 'constructor' || k === 'prototype') this.badKeyAt(k, d);
        this.value(rec[k], d + 1);
      }
    } else {
      const keys = Object.keys(rec);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        this.segKey[d] = k;
        if (k === '__proto__' || k === 'constructor' || k === 'prototype') this.badKeyAt(k, d);
        this.value(rec[k], d + 1);
      }
    }
  }

  private badKeyAt(k: string, d: number): void {
    if (k === '__proto__') this.fail(d + 1, 'a property named "__proto__" cannot be sent (prototype pollution risk)');
    if (this.badKey === null) this.badKey = this.path(d + 1);
  }

  private array(a: unknown[], d: number): void {
    this.segType[d] = SEG_INDEX;
    const n = a.length;
    for (let i = 0; i < n; i++) {
      const x = a[i];
      if (x === undefined && !(i in a)) {
        (this.sparse ??= new Set()).add(a);
        this.sj = true;
        continue;
      }
      this.segIndex[d] = i;
      this.value(x, d + 1);
    }
  }

  private leafMap(): Map<unknown, LeafJson> {
    return (this.leaf ??= new Map());
  }

  private special(o: object, proto: object | null, d: number): void {
    const kind = kindOfProto(proto);
    if (kind !== undefined) {
      this.leafMap().set(o, [0, this.buffers.length]);
      this.buffers.push(bytesOf(o, kind));
      this.kinds.push(kind.code);
      if (d === 0) this.rootBuffer = true;
      return;
    }
    if (proto === null) return this.props(o, d);
    if (proto === Date.prototype) {
      if (Number.isNaN((o as Date).getTime())) this.leafMap().set(o, [2]);
      return;
    }
    if (proto === RegExp.prototype || proto === URL.prototype) return;
    if (proto === Map.prototype) return this.map(o as Map<unknown, unknown>, d);
    if (proto === Set.prototype) return this.set(o as Set<unknown>, d);
    if (classNames.has((o as { constructor: AnyClass }).constructor)) return this.props(o, d);
    if (o instanceof Error) return this.error(o, d);
    if (this.extension(o, d)) return;
    this.unsupported(o, proto, d);
  }

  private map(m: Map<unknown, unknown>, d: number): void {
    this.keptObjects = true;
    let i = 0;
    for (const [k, v] of m) {
      this.segType[d] = SEG_MAP_KEY;
      this.segIndex[d] = i;
      this.value(k, d + 1);
      this.segType[d] = SEG_MAP_VALUE;
      this.segIndex[d] = i;
      this.segKey[d] = k;
      this.value(v, d + 1);
      i++;
    }
  }

  private set(s: Set<unknown>, d: number): void {
    let i = 0;
    for (const v of s) {
      this.segType[d] = SEG_SET_ITEM;
      this.segIndex[d] = i++;
      this.value(v, d + 1);
    }
  }

  private error(e: Error, d: number): void {
    this.props(e, d);
    const rec = e as unknown as Record<string, unknown>;
    for (const k of ['name', 'message', 'stack']) {
      if (typeof rec[k] !== 'string' && rec[k] !== undefined) {
        this.segType[d] = SEG_PROP;
        this.segKey[d] = k;
        this.value(rec[k], d + 1);
      }
    }
    if ('cause' in e) {
      this.segType[d] = SEG_PROP;
      this.segKey[d] = 'cause';
      this.value(e.cause, d + 1);
    }
    if (e instanceof AggregateError) {
      this.segType[d] = SEG_PROP;
      this.segKey[d] = 'errors';
      this.value(e.errors, d + 1);
    }
  }

  /** Functions and symbols: only an extension can carry them. */
  private exotic(v: unknown, d: number): void {
    if (typeof v === 'function') {
      if (!this.visited.first(v)) {
        this.sj = true;
        return;
      }
    } else if (this.leaf !== null && this.leaf.has(v)) {
      return;
    }
    this.sj = true;
    if (this.extension(v, d)) return;
    if (typeof v === 'function') {
      this.fail(d, `${describeFunction(v)} cannot be sent: no registered value extension carries it`);
    }
    this.fail(d, `${String(v)} cannot be sent: symbols do not cross ranks`);
  }

  private extension(v: unknown, d: number): boolean {
    let ext: ValueExtension | undefined;
    try {
      ext = findExtension(v);
    } catch (e) {
      throw new EncodeError(this.path(d), `a value extension failed to inspect it: ${(e as Error)?.message ?? e}`, {
        cause: e,
      });
    }
    if (ext === undefined) return false;
    const path = this.path(d);
    let j: unknown;
    try {
      j = ext.serialize(v, path);
    } catch (e) {
      if (e instanceof EncodeError) throw e;
      throw new EncodeError(path, `value extension "${ext.name}" failed: ${(e as Error)?.message ?? e}`, { cause: e });
    }
    this.leafMap().set(v, [1, ext.name, j]);
    return true;
  }

  private unsupported(o: object, proto: object | null, d: number): never {
    const known = proto === null ? undefined : UNSUPPORTED.get(proto);
    if (known !== undefined) this.fail(d, known);
    const ctor = (o as { constructor?: unknown }).constructor;
    const name = typeof ctor === 'function' && ctor.name ? ctor.name : undefined;
    for (const [base, baseName] of BASES) {
      if (o instanceof base) {
        this.fail(
          d,
          `an instance of ${name ?? 'a subclass'} (a subclass of ${baseName}) cannot be sent: convert it to a plain ${baseName}`,
        );
      }
    }
    if (name === undefined) this.fail(d, 'an object with an unknown prototype cannot be sent');
    this.fail(
      d,
      `an instance of class ${name} cannot be sent: call registerClass(${name}) on every rank, or register a value extension for it`,
    );
  }
}

// A quick check for the hot path: small plain-JSON values. It tracks no
// paths and gives up (false) on anything else, and on values with more than
// QUICK_MAX_OBJECTS objects or QUICK_MAX_NODES nodes, which then take the
// full walk above; so a value is walked once, plus at most a bounded prefix.
const QUICK_MAX_OBJECTS = 64;
const QUICK_MAX_NODES = 1024;
const quickSeen: object[] = [];
let quickCount = 0;
let quickNodes = 0;

function quick(v: unknown): boolean {
  if (++quickNodes > QUICK_MAX_NODES) return false;
  if (typeof v !== 'object') {
    return (
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && v - v === 0 && (v !== 0 || 1 / v > 0))
    );
  }
  if (v === null) return true;
  const n = quickCount;
  for (let i = 0; i < n; i++) if (quickSeen[i] === v) return false;
  if (n === QUICK_MAX_OBJECTS) return false;
  quickSeen[n] = v;
  quickCount = n + 1;
  const proto = getPrototypeOf(v) as object | null;
  if (proto === ObjectPrototype) {
    const rec = v as Record<string, unknown>;
    for (const k in rec) {
      if (k === '__proto__' || k === 'constructor' || k === 'prototype' || !quick(rec[k])) return false;
    }
    return true;
  }
  if (proto === ArrayPrototype && Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x === undefined || !quick(x)) return false;
    }
    return true;
  }
  return false;
}

/** True if `v` is certainly plain JSON (small, no shared objects); false means "run the full walk". */
export function isQuickJson(v: unknown): boolean {
  if (!isObjectPrototypeClean()) return false;
  try {
    return quick(v);
  } catch {
    return false; // e.g. a throwing getter: the full walk reports it
  } finally {
    for (let i = 0; i < quickCount; i++) quickSeen[i] = undefined as never;
    quickCount = 0;
    quickNodes = 0;
  }
}

let spare: Walker | null = null;

/** A walker for one encode (reused when not busy, so nested encodes are safe). */
export function acquireWalker(): Walker {
  const w = spare ?? new Walker();
  spare = null;
  return w;
}

export function releaseWalker(w: Walker): void {
  w.reset();
  spare = w;
}
