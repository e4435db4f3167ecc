// mpi4py's Info: string hints for MPI (splitType, createDistGraph, Spawn).
// Pass INFO_NULL, or leave the argument out, for no hints.
import { native } from './environment';

export class Info {
  #handle: number;

  /** Use Info.create(), or INFO_NULL. */
  constructor(handle: number) {
    this.#handle = handle;
  }

  /** A new, empty Info; with `entries`, set from them. */
  static create(entries?: Record<string, string> | Iterable<[string, string]>): Info {
    const info = new Info(native().infoCreate());
    if (entries) {
      const pairs = Symbol.iterator in entries ? entries : Object.entries(entries);
      for (const [k, v] of pairs as Iterable<[string, string]>) info.set(k, v);
    }
    return info;
  }

  /** The native handle (-1 for INFO_NULL or once freed). */
  get handle(): number {
    return this.#handle;
  }

  get isNull(): boolean {
    return this.#handle < 0;
  }

  #h(): number {
    if (this.#handle < 0) throw new Error('the Info is null (INFO_NULL, or freed)');
    return this.#handle;
  }

  set(key: string, value: string): void {
    native().infoSet(this.#h(), key, value);
  }

  /** The value, or undefined when the key is not set. */
  get(key: string): string | undefined {
    return native().infoGet(this.#h(), key);
  }

  /** Removes the key; true when it was set. */
  delete(key: string): boolean {
    return native().infoDelete(this.#h(), key);
  }

  keys(): string[] {
    return native().infoKeys(this.#h());
  }

  entries(): Array<[string, string]> {
    return this.keys().map((k) => [k, this.get(k) as string]);
  }

  get size(): number {
    return this.keys().length;
  }

  dup(): Info {
    return new Info(native().infoDup(this.#h()));
  }

  free(): void {
    native().infoFree(this.#h());
    this.#handle = -1;
  }

  [Symbol.dispose](): void {
    if (this.#handle >= 0) this.free();
  }
}

/** No hints. */
export const INFO_NULL: Info = new Info(-1);

/** The native handle of an Info argument (null for none). */
export function infoHandle(info: Info | undefined, where: string): number | null {
  if (info === undefined || info === null) return null;
  if (!(info instanceof Info)) throw new TypeError(`${where}: info must be an Info or INFO_NULL`);
  return info.isNull ? null : info.handle;
}

/** Hints where MPI takes an MPI_Info: an Info, a record of strings, or [key, value] pairs. */
export type InfoLike = Info | Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

/** Hints as [key, value] pairs (Spawn, Win and File take them so). */
export function infoPairs(info: InfoLike | null | undefined, where: string): Array<[string, string]> {
  if (info === undefined || info === null || info === INFO_NULL) return [];
  if (info instanceof Info) return info.isNull ? [] : info.entries();
  if (Array.isArray(info)) {
    return (info as ReadonlyArray<unknown>).map((pair) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${where}: info pairs must be [key, value] arrays of two strings`);
      }
      return [String(pair[0]), String(pair[1])];
    });
  }
  if (typeof info === 'object') return Object.entries(info).map(([k, v]) => [k, String(v)]);
  throw new TypeError(`${where}: info must be an Info, INFO_NULL, a record of strings or [key, value] pairs`);
}
