// pySPACE's MpiBackend: stage an operation (a list of processes, each a
// function and its arguments), execute it on a pool of MPI workers, watch its
// status, retrieve the results in process order, consolidate, clean up. The
// pool is mpi-loop/futures' PoolExecutor (the job's ranks, or spawned ones).
import os from 'node:os';
import { type Future, PoolExecutor, Progress } from '../futures/index';
import { parallel, size } from '../loop/index';
import { withTimeout } from '../util/timeout';

type Fn = (...args: never[]) => unknown;
/** One process of an operation: a function and its argument array. */
export type Process = readonly [Fn, readonly unknown[]];

export interface BackendStatus {
  done: number;
  running: number;
  failed: number;
  total: number;
}

export interface Consolidated {
  results: unknown[];
  /** The failed processes: their index in the operation and the error. */
  errors: Array<{ index: number; error: unknown }>;
  status: BackendStatus;
}

function defaultPoolSize(): number {
  return parallel ? size - 1 : os.availableParallelism();
}

export class MpiBackend {
  readonly poolSize: number;
  #operation: Process[] | null = null;
  #futures: Array<Future<unknown>> = [];
  #outcomes: Array<{ ok: boolean; value: unknown } | undefined> = [];
  #executor: PoolExecutor | null = null;
  #execution: Promise<void> | null = null;

  /**
   * poolSize: how many processes run the operation at once. pySPACE's default
   * is a fixed 156; here it is the workers there are: the event loop's
   * workers in a job of several ranks, else one per core of this machine
   * (the pool is then spawned).
   */
  constructor({ poolSize = defaultPoolSize() }: { poolSize?: number } = {}) {
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new RangeError(`MpiBackend: poolSize must be a positive integer, got ${poolSize}`);
    this.poolSize = poolSize;
  }

  /** Stages the operation: an array of [f, args] processes. */
  stageIn(operation: Iterable<Process>): void {
    if (this.#execution) throw new Error('stageIn: an operation is executing; retrieve() and cleanup() it first');
    const processes = [...operation];
    processes.forEach((p, i) => {
      if (!Array.isArray(p) || typeof p[0] !== 'function' || !Array.isArray(p[1])) {
        throw new TypeError(`stageIn: process ${i} must be [function, argsArray]`);
      }
    });
    this.#operation = processes;
    this.#futures = [];
    this.#outcomes = new Array(processes.length).fill(undefined);
  }

  /** Runs every staged process on the pool; resolves when all have finished (rejects after `timeout` seconds). */
  execute(timeout = 1e6): Promise<void> {
    const operation = this.#operation;
    if (!operation) return Promise.reject(new Error('execute: no operation is staged (stageIn first)'));
    if (!this.#execution) {
      // In a one-rank job the workers are spawned: never more than there are processes.
      const executor = (this.#executor ??= new PoolExecutor({
        maxWorkers: Math.max(1, Math.min(this.poolSize, operation.length)),
      }));
      const progress = Progress.maybe(operation.length, undefined, 'execute ');
      this.#futures = operation.map(([f, args], i) => {
        const future = executor.submit(f, ...(args as never[]));
        future
          .then(
            (value) => {
              this.#outcomes[i] = { ok: true, value };
            },
            (error: unknown) => {
              this.#outcomes[i] = { ok: false, value: error };
            },
          )
          .finally(() => progress?.advance(1));
        return future;
      });
      // Workers that cannot be had (another layer holds them) fail the execution at once, with that reason.
      this.#execution = Promise.all([executor.bootup(), Promise.allSettled(this.#futures)]).then(() =>
        progress?.finish(),
      );
    }
    return withTimeout(this.#execution, timeout, 'execute');
  }

  /** How far the operation is: finished, running (on a worker), failed, and the total. */
  checkStatus(): BackendStatus {
    const total = this.#operation?.length ?? 0;
    let done = 0,
      failed = 0,
      running = 0;
    this.#outcomes.forEach((o) => {
      if (o) {
        if (o.ok) done++;
        else failed++;
      }
    });
    for (const [i, f] of this.#futures.entries()) if (!this.#outcomes[i] && f.running()) running++;
    return { done, running, failed, total };
  }

  /** The results in process order (a failed process's slot holds its error); waits up to `timeout` seconds. */
  async retrieve(timeout = 1e6): Promise<unknown[]> {
    if (!this.#execution) throw new Error('retrieve: the operation has not been executed (execute first)');
    await withTimeout(this.#execution, timeout, 'retrieve');
    // The outcome callbacks run before allSettled resolves, since they were attached first.
    return this.#outcomes.map((o) => o?.value);
  }

  /** One summary of the executed operation: results, the failed processes, and the final status. */
  async consolidate(): Promise<Consolidated> {
    const results = await this.retrieve();
    const errors = this.#outcomes.flatMap((o, index) => (o && !o.ok ? [{ index, error: o.value }] : []));
    return { results, errors, status: this.checkStatus() };
  }

  /**
   * Forgets the operation and its results and releases the workers. As
   * pySPACE's cleanup() is synchronous, the workers are released before this
   * returns when no process is still running, so it need not be awaited; the
   * Promise resolves when they are back.
   */
  cleanup(): Promise<void> {
    const executor = this.#executor;
    this.#executor = null;
    this.#operation = null;
    this.#futures = [];
    this.#outcomes = [];
    this.#execution = null;
    return executor ? executor.shutdown({ wait: true, cancelFutures: true }) : Promise.resolve();
  }
}
