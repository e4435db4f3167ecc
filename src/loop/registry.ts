// The managed-object registry (pyMOR's manage_object and friends). Every rank
// keeps its own map from id to object; ids agree across ranks because every
// rank manages objects in the same order (each runs the same commands).
// On rank 0 an ObjectId is tied to its object's lifetime: disposing it or
// letting it be garbage-collected removes the object locally at once and
// queues the id; the next command carries the queue to the other ranks, so
// removal costs no message and no collective of its own.
import { registerClass as codecRegisterClass, registerExtension } from '../mpi/codec';
import { rank0 } from './state';

const objects = new Map<number, unknown>();
let counter = 0;
const removalQueue: number[] = [];
const interned = new Map<number, WeakRef<ObjectId>>();

const collected = new FinalizationRegistry<number>((id) => {
  const ref = interned.get(id);
  if (ref && ref.deref() === undefined) interned.delete(id);
  forget(id);
});

function forget(id: number): void {
  if (objects.delete(id) && rank0) removalQueue.push(id);
}

// Type-only: carries the managed object's type, so that getObject and
// methodCall know what an ObjectId refers to. Nothing is stored under it.
declare const managedType: unique symbol;

/**
 * A handle to an object managed on every rank (pyMOR `ObjectId`): equal ids
 * on every rank. `T` is the managed object's type (for the typed helpers).
 */
export class ObjectId<T = unknown> {
  declare readonly [managedType]?: T;
  readonly id: number;

  /** ObjectIds come from manageObject and the *Manage calls. */
  constructor(id: number) {
    this.id = id;
  }

  /** Removes the object on every rank (carried by the next command). */
  [Symbol.dispose](): void {
    removeObject(this);
  }

  valueOf(): number {
    return this.id;
  }

  toString(): string {
    return `ObjectId(${this.id})`;
  }
}

/** The ObjectId for an id: on rank 0 one instance per id, tracked for collection. */
export function objectIdFor(id: number, track: boolean): ObjectId {
  const existing = interned.get(id)?.deref();
  if (existing) return existing;
  const handle = new ObjectId(id);
  if (rank0 && track) {
    interned.set(id, new WeakRef(handle));
    collected.register(handle, id);
  }
  return handle;
}

function idOf(obj: ObjectId<unknown> | number, where: string): number {
  if (obj instanceof ObjectId) return obj.id;
  if (typeof obj === 'number' && Number.isInteger(obj)) return obj;
  throw new TypeError(`${where}: expected an ObjectId, got ${obj === null ? 'null' : typeof obj}`);
}

/** Keeps track of obj and returns its handle (pyMOR `manage_object`). */
export function manageObject<T>(obj: T): ObjectId<T> {
  const id = ++counter;
  objects.set(id, obj);
  return objectIdFor(id, true) as ObjectId<T>;
}

/** The object an ObjectId refers to on this rank. */
export function getObject<T = unknown>(id: ObjectId<T> | number): T {
  const n = idOf(id, 'getObject');
  if (!objects.has(n)) {
    throw new Error(`getObject: no object is managed under ObjectId(${n}) on this rank (removed, or never managed)`);
  }
  return objects.get(n) as T;
}

/** Removes the object from the registry; on rank 0 also on every other rank (with the next command). */
export function removeObject(id: ObjectId<unknown> | number): void {
  forget(idOf(id, 'removeObject'));
}

/** @internal: the ids whose removal the next command carries. */
const NONE: number[] = [];
export function takeRemovals(): number[] {
  return removalQueue.length === 0 ? NONE : removalQueue.splice(0);
}

/** @internal: puts removals back when a command could not be sent. */
export function restoreRemovals(ids: number[]): void {
  if (ids.length > 0) removalQueue.unshift(...ids);
}

/** @internal: applies removals received with a command (workers). */
export function applyRemovals(ids: number[]): void {
  for (const id of ids) objects.delete(id);
}

/** @internal */
export function managedIds(): number[] {
  return [...objects.keys()];
}

/** @internal: quit() removes what is left. */
export function clearObjects(): void {
  objects.clear();
  removalQueue.length = 0;
}

registerExtension<ObjectId, number>({
  name: 'mpi-loop.ObjectId',
  isApplicable: (v): v is ObjectId => v instanceof ObjectId,
  serialize: (v) => v.id,
  deserialize: (id) => objectIdFor(id, false),
});

/** @internal: registers a class with the codec on this rank only. */
export function registerClassLocally(cls: Function, name?: string): void {
  codecRegisterClass(cls as new (...a: never[]) => unknown, name);
}
