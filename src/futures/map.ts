// The results of map/starmap: the calls cut into chunks (one task each),
// results yielded in order, or as chunks complete with `unordered`.
import type { Progress } from './progress';
import type { Task } from './session';
import { TimeoutError } from '../util/timeout';

export interface MapOptions {
  /** Calls per task (default 1): larger chunks cost fewer messages. */
  chunksize?: number;
  /** Yield results as their chunks complete instead of in order. */
  unordered?: boolean;
  /** Seconds to wait for each result before a TimeoutError. */
  timeout?: number;
  /** Show a progress bar on stderr (default: when stderr is a terminal and the run is long). */
  progress?: boolean;
}

export function isMapOptions(v: unknown): v is MapOptions {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  );
}

export function splitMapArgs(args: Array<Iterable<unknown> | MapOptions>): {
  iterables: Iterable<unknown>[];
  options: MapOptions;
} {
  const last = args[args.length - 1];
  if (args.length > 0 && isMapOptions(last))
    return { iterables: args.slice(0, -1) as Iterable<unknown>[], options: last };
  return { iterables: args as Iterable<unknown>[], options: {} };
}

interface Chunk {
  task: Task;
  state: 'waiting' | 'done' | 'failed';
  values: unknown[];
  error?: unknown;
}

export interface MapHooks {
  submit(task: Task): void;
  cancel(task: Task): void;
  progress: Progress | null;
}

/**
 * The async iterator of a map: a hand-written one rather than an async
 * generator, so a result that has already arrived costs one resolved Promise
 * (tiny tasks come back by the thousand).
 */
class MapIterator<R> implements AsyncIterableIterator<R> {
  readonly #chunks: Chunk[];
  readonly #completed: Chunk[] = [];
  readonly #unordered: boolean;
  readonly #hooks: MapHooks;
  readonly #deadline: number;
  readonly #timeout: number | undefined;
  #chunk = 0;
  #index = 0;
  #closed = false;
  #wake: (() => void) | null = null;

  constructor(chunks: Chunk[], options: MapOptions, hooks: MapHooks) {
    this.#chunks = chunks;
    this.#unordered = options.unordered === true;
    this.#hooks = hooks;
    this.#timeout = options.timeout;
    this.#deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout * 1000;
  }

  /** @internal: a chunk finished. */
  completed(c: Chunk): void {
    this.#completed.push(c);
    this.#hooks.progress?.advance(c.task.items.length);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #current(): Chunk | undefined {
    if (this.#unordered) return this.#completed[this.#chunk];
    const c = this.#chunks[this.#chunk];
    return c && c.state !== 'waiting' ? c : undefined;
  }

  // The next result if it has arrived: an IteratorResult, an error to throw, or undefined (wait).
  #take(): IteratorResult<R> | { error: unknown } | undefined {
    for (;;) {
      if (this.#closed || this.#chunk >= this.#chunks.length) return this.#close();
      const c = this.#current();
      if (!c) return undefined;
      if (this.#index < c.values.length) return { value: c.values[this.#index++] as R, done: false };
      if (c.state === 'failed') {
        this.#close();
        return { error: c.error };
      }
      this.#chunk++;
      this.#index = 0;
    }
  }

  #close(): IteratorResult<R> {
    if (!this.#closed) {
      this.#closed = true;
      for (const c of this.#chunks) if (c.state === 'waiting') this.#hooks.cancel(c.task);
      this.#hooks.progress?.finish();
    }
    return { value: undefined, done: true };
  }

  next(): Promise<IteratorResult<R>> {
    const r = this.#take();
    if (r === undefined) return this.#wait();
    return 'error' in r ? Promise.reject(r.error) : Promise.resolve(r);
  }

  async #wait(): Promise<IteratorResult<R>> {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        this.#wake = resolve;
        if (this.#deadline !== Infinity) {
          timer = setTimeout(
            () => {
              this.#close();
              reject(new TimeoutError(`map: a result did not arrive within ${this.#timeout!} s`));
            },
            Math.max(0, this.#deadline - Date.now()),
          );
        }
      }).finally(() => {
        if (timer) clearTimeout(timer);
      });
      const r = this.#take();
      if (r === undefined) continue;
      if ('error' in r) throw r.error;
      return r;
    }
  }

  /** Breaking out of the loop: the calls not yet started are cancelled. */
  return(): Promise<IteratorResult<R>> {
    return Promise.resolve(this.#close());
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Cuts rows into chunks, submits them all, and iterates over the results. */
export function mapResults<R>(
  f: (...args: never[]) => unknown,
  rows: unknown[],
  options: MapOptions,
  hooks: MapHooks,
  single = false,
): AsyncIterableIterator<R> {
  const chunksize = options.chunksize ?? 1;
  if (!Number.isInteger(chunksize) || chunksize < 1)
    throw new RangeError(`map: chunksize must be a positive integer, got ${chunksize}`);
  const chunks: Chunk[] = [];
  let iterator: MapIterator<R> | null = null;
  for (let i = 0; i < rows.length; i += chunksize) {
    const chunk: Chunk = { state: 'waiting', values: [], task: undefined as unknown as Task };
    chunk.task = {
      f,
      items: rows.slice(i, i + chunksize),
      single,
      start: () => true,
      done: (values) => {
        chunk.state = 'done';
        chunk.values = values;
        iterator!.completed(chunk);
      },
      failed: (_index, error, before) => {
        chunk.state = 'failed';
        chunk.values = before;
        chunk.error = error;
        iterator!.completed(chunk);
      },
    };
    chunks.push(chunk);
  }
  iterator = new MapIterator<R>(chunks, options, hooks);
  for (const c of chunks) hooks.submit(c.task);
  if (chunks.length === 0) hooks.progress?.finish();
  return iterator;
}
