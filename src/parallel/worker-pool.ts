// WorkerPool: pyMOR's MPIPool over the ranks of the event loop. Rank 0 drives
// it; every rank (rank 0 included) is a worker. Each method sends one command
// with call(); results come back to rank 0 through a gather (apply, map) or a
// point-to-point reply (applyOnly) on the pool's own communicator.
import { call, functionCallManage, type ObjectId, rank0, size } from '../loop/index';
import { checkWorkersFree } from '../loop/lease';
import { idOfProxy, wireArgs } from './handles';
import type { Outcome } from './outcome';
import { PoolError, type PoolFailure } from './pool-error';
import {
  attempt,
  type MapChunk,
  poolApply,
  poolApplyOnly,
  poolMap,
  poolPush,
  poolSetup,
  stageMapChunks,
} from './pool-tasks';
import { enqueue } from './queue';
import type { Pushed, RemoteArg, RemoteArgs } from './types';

function fname(f: { readonly name: string }): string {
  return f.name || '<anonymous>';
}

/** Results in order, or the PoolError for every rank that failed. */
function unwrap(operation: string, f: { readonly name: string }, outcomes: Outcome[], ranks?: number[]): unknown[] {
  const failures: PoolFailure[] = [];
  const values: unknown[] = [];
  outcomes.forEach((o, i) => {
    if ('e' in o) failures.push({ ...o.e, rank: ranks ? ranks[i] : i, item: o.item });
    else values.push(o.v);
  });
  if (failures.length > 0) throw PoolError.fromFailures(operation, fname(f), failures);
  return values;
}

/** Items zipped from the iterables (shortest wins), in balanced contiguous chunks, one per rank. */
function chunksOf(iterables: Iterable<unknown>[], ranks: number): MapChunk[] {
  const columns = iterables.map((it) => Array.from(it));
  const n = columns.length === 0 ? 0 : Math.min(...columns.map((c) => c.length));
  const chunks: MapChunk[] = [];
  let start = 0;
  for (let r = 0; r < ranks; r++) {
    const count = Math.floor(n / ranks) + (r < n % ranks ? 1 : 0);
    const items: unknown[][] = [];
    for (let k = start; k < start + count; k++) items.push(wireArgs(columns.map((c) => c[k])));
    chunks.push({ start, items });
    start += count;
  }
  return chunks;
}

/**
 * A pool of workers made of every rank of the event loop (pyMOR `MPIPool`).
 * Use it on rank 0, under `node -r mpi-loop/register` or `mpi-loop run`.
 * Functions go to the other ranks like any function passed to call():
 * exported from a module, or self-contained. Arguments that are pushObject
 * handles, proxies from distribute() or ObjectIds become each rank's copy of
 * the object.
 */
export class WorkerPool implements Disposable {
  readonly #pushed = new Set<ObjectId>();
  #setUp = false;

  constructor() {
    if (!rank0)
      throw new Error('WorkerPool: create and drive the pool on rank 0 (the other ranks serve the event loop)');
    checkWorkersFree('WorkerPool');
    // Queued like every operation (it runs at once when nothing is pending).
    // A setup that failed is tried again by the first operation, which raises
    // its error: the workers may have been held by another layer meanwhile released.
    enqueue(() => this.#setup()).catch(() => undefined);
  }

  #setup(): void {
    if (this.#setUp) return;
    call(poolSetup);
    this.#setUp = true;
  }

  /**
   * Queues op behind everything asked for before it; rejects if the pool
   * cannot be set up, or at once if another layer holds the workers.
   */
  #run<R>(name: string, op: () => R): Promise<Awaited<R>> {
    return enqueue(() => {
      checkWorkersFree(`WorkerPool.${name}`);
      this.#setup();
      return op();
    });
  }

  /** The number of workers: every rank, rank 0 included. */
  get size(): number {
    return size;
  }

  /** Runs f(...args) on every rank; resolves to every rank's result, in rank order. */
  apply<A extends unknown[], R>(f: (...args: A) => R, ...args: RemoteArgs<A>): Promise<Awaited<R>[]> {
    return this.#run('apply', () => call(poolApply, f as never, wireArgs(args))).then(
      (outcomes) => unwrap('apply', f, outcomes!) as Awaited<R>[],
    );
  }

  /** Runs f(...args) on one rank only; resolves to its result. */
  applyOnly<A extends unknown[], R>(f: (...args: A) => R, rank: number, ...args: RemoteArgs<A>): Promise<Awaited<R>> {
    if (!Number.isInteger(rank) || rank < 0 || rank >= size) {
      return Promise.reject(
        new RangeError(`WorkerPool.applyOnly: rank must be an integer in 0..${size - 1}, got ${String(rank)}`),
      );
    }
    const wire = wireArgs(args);
    const run =
      rank === 0
        ? // Only rank 0 is asked: no command goes out.
          () => attempt(f as never, wire)
        : () => call(poolApplyOnly, f as never, rank, wire);
    return this.#run('applyOnly', run).then((outcome) => unwrap('applyOnly', f, [outcome!], [rank])[0] as Awaited<R>);
  }

  /**
   * Calls f once per item, spreading the items over the ranks in contiguous
   * chunks; the arguments of item k are the k-th elements of the iterables
   * (the shortest one sets the count). Resolves to the results in input order.
   */
  map<A extends unknown[], R>(
    f: (...args: A) => R,
    ...iterables: { [I in keyof A]: Iterable<RemoteArg<A[I]>> }
  ): Promise<Awaited<R>[]> {
    let chunks: MapChunk[];
    try {
      chunks = chunksOf(iterables as Iterable<unknown>[], size);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#run('map', () => {
      stageMapChunks(chunks);
      return call(poolMap, f as never);
    }).then((outcomes) => (unwrap('map', f, outcomes!) as Awaited<R>[][]).flat(1) as Awaited<R>[]);
  }

  /**
   * Sends obj to every rank once; resolves to a handle that stands for each
   * rank's copy in later calls. Dispose the handle (or the pool) to free it.
   */
  pushObject<T>(obj: T): Promise<Pushed<T>> {
    const value = idOfProxy(obj) ?? obj;
    return this.#run('pushObject', () => call(functionCallManage, poolPush, value)).then((id) => {
      this.#pushed.add(id);
      return id as Pushed<T>;
    });
  }

  /** Frees, on every rank, the objects this pool pushed. */
  [Symbol.dispose](): void {
    for (const id of this.#pushed) id[Symbol.dispose]();
    this.#pushed.clear();
  }
}
