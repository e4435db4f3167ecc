// mpi4py.futures' MPIPoolExecutor: submit, map, starmap, shutdown, bootup.
// The workers are the ranks of the running event loop (`mpi-loop futures`,
// `mpi-loop run`, `node -r mpi-loop/register`); in any other job (one rank,
// or an SPMD script) they are spawned with MPI_Comm_spawn.
import { available } from '../index';
import { BrokenExecutorError, CancelledError, Future } from './future';
import { acquireLoopPool, releaseLoopPool } from './loop-pool';
import { MapOptions, mapResults, splitMapArgs } from './map';
import { Progress } from './progress';
import { Session, type Task } from './session';
import { spawnWorkers, type SpawnInfo } from './spawn';
import { LocalSession } from './local';

export interface PoolExecutorOptions {
  /**
   * Workers to spawn when they are spawned (one-rank jobs and SPMD scripts;
   * default: MPI_LOOP_FUTURES_MAX_WORKERS, else 1). Under the event loop the
   * workers are ranks 1..N-1 and this is ignored, as under `python -m mpi4py.futures`.
   */
  maxWorkers?: number;
  /** Extra MPI_Info keys for MPI_Comm_spawn (mpi4py's mpi_info). */
  mpiInfo?: SpawnInfo;
}

export interface ShutdownOptions {
  /** Wait for pending futures and the workers (default true). */
  wait?: boolean;
  /** Cancel the futures no worker has started (default false). */
  cancelFutures?: boolean;
}

type Fn = (...args: never[]) => unknown;
type Result<F extends Fn> = Awaited<ReturnType<F>>;

/** The pool a PoolExecutor uses (CommExecutor passes its own). */
export interface PoolSource {
  acquire(): Promise<Session | LocalSession>;
  release(session: Session | LocalSession): Promise<void>;
}

function defaultWorkers(maxWorkers?: number): number {
  if (maxWorkers !== undefined) return maxWorkers;
  const env = Number(process.env.MPI_LOOP_FUTURES_MAX_WORKERS ?? process.env.MPI4PY_FUTURES_MAX_WORKERS);
  return Number.isInteger(env) && env > 0 ? env : 1;
}

function defaultSource(options: PoolExecutorOptions): PoolSource {
  return {
    async acquire() {
      const loop = await acquireLoopPool();
      if (loop) return loop;
      if (!available) return new LocalSession();
      const n = defaultWorkers(options.maxWorkers);
      const comm = spawnWorkers(n, options.mpiInfo);
      return new Session(
        comm,
        Array.from({ length: n }, (_, i) => i + 1),
      );
    },
    async release(session) {
      if (session instanceof LocalSession) return;
      if (await releaseLoopPool(session)) return;
      await session.stop();
      session.comm.free();
    },
  };
}

// Like concurrent.futures at interpreter exit: executors never shut down are
// shut down (waiting for their futures) when the script has nothing else to
// do, so the workers go back to the event loop (or exit) and the job ends.
const liveExecutors = new Set<PoolExecutor>();
let exitHook = false;
function shutDownAtExit(executor: PoolExecutor): void {
  liveExecutors.add(executor);
  if (exitHook) return;
  exitHook = true;
  process.on('beforeExit', () => {
    for (const e of [...liveExecutors]) void e.shutdown({ wait: true });
  });
}

export class PoolExecutor {
  readonly #source: PoolSource;
  #session: Promise<Session | LocalSession> | null = null;
  /** The pool once acquired: submissions then skip a Promise turn each. */
  #resolved: Session | LocalSession | null = null;
  #shutdown = false;
  #released: Promise<void> | null = null;
  readonly #pending = new Set<{ cancel(): boolean }>();

  constructor(options: PoolExecutorOptions = {}, source?: PoolSource) {
    if (options.maxWorkers !== undefined && (!Number.isInteger(options.maxWorkers) || options.maxWorkers <= 0)) {
      throw new RangeError(`PoolExecutor: maxWorkers must be a positive integer, got ${String(options.maxWorkers)}`);
    }
    this.#source = source ?? defaultSource(options);
  }

  #pool(): Promise<Session | LocalSession> {
    if (!this.#session) shutDownAtExit(this);
    this.#session ??= this.#source.acquire().then((s) => {
      this.#resolved = s;
      return s;
    });
    return this.#session;
  }

  #check(what: string): void {
    if (this.#shutdown) throw new Error(`cannot ${what} after shutdown()`);
  }

  /** Starts the workers now (they also start on the first submit); resolves when they are ready. */
  async bootup(wait = true): Promise<this> {
    this.#check('bootup');
    const p = this.#pool().then((s) => s.ready);
    if (wait) await p;
    return this;
  }

  /** The number of workers (after bootup). */
  async workers(): Promise<number> {
    return (await this.#pool()).size;
  }

  #enqueue(task: Task): void {
    const ready = this.#resolved;
    if (ready) {
      try {
        ready.submit(task);
      } catch (e) {
        task.failed(0, e as Error, []);
      }
      return;
    }
    void this.#pool()
      .then((s) => s.submit(task))
      .catch((e: unknown) => task.failed(0, e as Error, []));
  }

  /** Schedules f(...args) on a worker; the Future resolves with its result. */
  submit<F extends Fn>(f: F, ...args: Parameters<F>): Future<Result<F>> {
    this.#check('submit');
    if (typeof f !== 'function') throw new TypeError(`submit: f must be a function, got ${typeof f}`);
    let session: Session | LocalSession | null = null;
    const task: Task = {
      f,
      items: [args as unknown[]],
      start: () => future.setRunning(),
      done: (values) => future.setResult(values[0] as Result<F>),
      failed: (_i, e) => future.setException(e),
    };
    const future: Future<Result<F>> = new Future<Result<F>>(() =>
      session ? session.cancel(task) : (task.cancelled = true),
    );
    this.#pending.add(future);
    future.addDoneCallback(() => this.#pending.delete(future));
    void this.#pool()
      .then((s) => {
        session = s;
        if (task.cancelled) return;
        s.submit(task);
      })
      .catch((e: unknown) => future.setException(e));
    return future;
  }

  /**
   * f applied to the items of the iterables, as an async iterable of results
   * (in order unless `unordered`). Pass `{ chunksize, unordered }` last.
   * Breaking out of the loop cancels the calls not yet started.
   */
  map<R>(
    f: (...args: never[]) => R,
    ...iterablesAndOptions: Array<Iterable<unknown> | MapOptions>
  ): AsyncIterableIterator<Awaited<R>> {
    this.#check('map');
    const { iterables, options } = splitMapArgs(iterablesAndOptions);
    if (iterables.length === 1) return this.#map(f, Array.from(iterableOf(iterables[0])), options, true);
    return this.#map(f, zipAll(iterables), options, false);
  }

  /** map() for argument arrays already grouped (itertools.starmap). */
  starmap<R>(
    f: (...args: never[]) => R,
    iterable: Iterable<unknown[]>,
    options: MapOptions = {},
  ): AsyncIterableIterator<Awaited<R>> {
    this.#check('starmap');
    return this.#map(
      f,
      Array.from(iterable, (a) => (Array.isArray(a) ? a : [a])),
      options,
      false,
    );
  }

  #map<R>(
    f: (...args: never[]) => R,
    rows: unknown[],
    options: MapOptions,
    single: boolean,
  ): AsyncIterableIterator<Awaited<R>> {
    if (typeof f !== 'function') throw new TypeError(`map: f must be a function, got ${typeof f}`);
    const progress = Progress.maybe(rows.length, options.progress);
    return mapResults<Awaited<R>>(
      f,
      rows,
      options,
      {
        submit: (task) => this.#enqueue(task),
        cancel: (task) => {
          task.cancelled = true;
          void this.#session?.then((s) => s.cancel(task));
        },
        progress,
      },
      single,
    );
  }

  /**
   * No new tasks after this. wait (default true): resolves once pending
   * futures are done and the workers are released. cancelFutures: cancels the
   * futures that no worker has started. When nothing is left running, the
   * workers are released before this returns (awaited or not), so the next
   * call() or layer may follow at once.
   */
  shutdown({ wait = true, cancelFutures = false }: ShutdownOptions = {}): Promise<void> {
    let cancelled: Promise<void> = Promise.resolve();
    if (cancelFutures) {
      for (const f of [...this.#pending]) f.cancel();
      const cancelQueued = (s: Session | LocalSession | null): void => {
        if (s) for (const t of s.cancelQueued()) t.failed(0, new CancelledError(), []);
      };
      if (this.#resolved) cancelQueued(this.#resolved);
      else if (this.#session) cancelled = this.#session.then(cancelQueued, () => undefined);
    }
    if (!this.#shutdown) {
      this.#shutdown = true;
      liveExecutors.delete(this);
      const resolved = this.#resolved;
      const session = this.#session;
      if (resolved && resolved.idle) this.#released = this.#source.release(resolved);
      else if (session)
        this.#released = cancelled
          .then(() => session)
          .then(
            async (s) => {
              await s.drained();
              await this.#source.release(s);
            },
            () => undefined,
          );
      else this.#released = Promise.resolve();
    }
    return wait ? cancelled.then(() => this.#released!) : Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown({ wait: true });
  }
}

function iterableOf(it: unknown): Iterable<unknown> {
  if (it === null || typeof it !== 'object' || typeof (it as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    if (typeof it !== 'string')
      throw new TypeError('map: arguments after f must be iterables (and an options object last)');
  }
  return it as Iterable<unknown>;
}

function zipAll(iterables: Iterable<unknown>[]): unknown[][] {
  if (iterables.length === 0) throw new TypeError('map: at least one iterable is needed');
  const iterators = iterables.map((it) => iterableOf(it)[Symbol.iterator]());
  const rows: unknown[][] = [];
  for (;;) {
    const row: unknown[] = [];
    for (const it of iterators) {
      const n = it.next();
      if (n.done) return rows;
      row.push(n.value);
    }
    rows.push(row);
  }
}

export { BrokenExecutorError };
