// The TypeScript view of distributed objects: a proxy type derived from a
// class, so that a misspelled method or a wrong argument fails to compile.
import type { ObjectId } from '../loop/index';

declare const pushedType: unique symbol;

/** A handle from WorkerPool.pushObject: an ObjectId that remembers the type of its object. */
export type Pushed<T> = ObjectId & { readonly [pushedType]?: T };

type Method = (...args: never[]) => unknown;

/** The names of T's methods. */
export type MethodNames<T> = { [K in keyof T]-?: T[K] extends Method ? K : never }[keyof T] & string;

/** The names of T's methods whose results are objects, which can stay managed. */
export type ManageableNames<T> = {
  [K in MethodNames<T>]: T[K] extends (...args: never[]) => infer R ? (Awaited<R> extends object ? K : never) : never;
}[MethodNames<T>];

/**
 * What may stand for a value of type T in a call to the other ranks: the
 * value itself, or a handle to the copy every rank already holds.
 */
export type RemoteArg<T> = T extends object ? T | Distributed<T> | Pushed<T> : T | Pushed<T>;

/** RemoteArg for every parameter of a list. */
export type RemoteArgs<A extends readonly unknown[]> = { [I in keyof A]: RemoteArg<A[I]> };

/** Rank 0's proxy for an object of type T that lives on every rank. */
export type Distributed<T> = {
  /** Runs the method on every rank; resolves to rank 0's result. */
  readonly [K in MethodNames<T>]: T[K] extends (...args: infer A) => infer R
    ? (...args: RemoteArgs<A>) => Promise<Awaited<R>>
    : never;
} & DistributedHandle<T>;

/** What every proxy has besides the object's methods. */
export interface DistributedHandle<T> {
  /** The object's ObjectId (equal on every rank). */
  readonly id: ObjectId;
  /** The same methods, with the result kept managed on every rank: each resolves to a proxy for it. */
  readonly manage: {
    readonly [K in ManageableNames<T>]: T[K] extends (...args: infer A) => infer R
      ? (...args: RemoteArgs<A>) => Promise<Distributed<Awaited<R>>>
      : never;
  };
  /** Frees the object on every rank (carried by the next command). */
  [Symbol.dispose](): void;
}
