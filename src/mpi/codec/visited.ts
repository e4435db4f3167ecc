// The objects one encode has reached, to find shared and circular references.
// Most values hold a few objects: a short list, scanned linearly and reused
// across encodes, beats a Set until it grows past `listMax`.

export class Visited<T> {
  readonly #listMax: number;
  #list: (T | undefined)[] = [];
  #count = 0;
  #set: Set<T> | null = null;

  constructor(listMax: number) {
    this.#listMax = listMax;
  }

  /** Marks `o` visited; false if it was already. */
  first(o: T): boolean {
    const set = this.#set;
    if (set !== null) {
      if (set.has(o)) return false;
      set.add(o);
      return true;
    }
    const list = this.#list;
    const n = this.#count;
    for (let i = 0; i < n; i++) if (list[i] === o) return false;
    if (n < this.#listMax) {
      list[n] = o;
      this.#count = n + 1;
    } else {
      this.#set = new Set(list.slice(0, n) as T[]);
      this.#set.add(o);
    }
    return true;
  }

  /** Forgets every object (the list is kept for the next encode, emptied so it holds nothing alive). */
  clear(): void {
    const list = this.#list;
    for (let i = 0; i < this.#count; i++) list[i] = undefined;
    this.#count = 0;
    this.#set = null;
  }
}
