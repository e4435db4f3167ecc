// A Future in the style of concurrent.futures, and a PromiseLike: `await
// future` gives the result or throws the task's error (a RemoteError with the
// remote stack). cancel() succeeds only while the task has not been sent to a
// worker.

import { CancelledError } from '../util/cancelled';
import { rejectAfter } from '../util/timeout';

export { CancelledError };

/** The executor can no longer run tasks: a worker died, or it was shut down (mpi4py's BrokenExecutor). */
export class BrokenExecutorError extends Error {
  override name = 'BrokenExecutorError';
}

export type FutureState = 'pending' | 'running' | 'finished' | 'cancelled';

export class Future<T> implements PromiseLike<T> {
  readonly #promise: Promise<T>;
  #resolve!: (v: T) => void;
  #reject!: (e: unknown) => void;
  #state: FutureState = 'pending';
  #error: unknown;
  #hasError = false;
  #onCancel: (() => boolean) | undefined;
  readonly #callbacks: Array<(f: Future<T>) => void> = [];

  /** Futures are made by executors. onCancel removes the task from the queue if it is still there. */
  constructor(onCancel?: () => boolean) {
    this.#promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A failure nobody awaits must not end the process as an unhandled rejection.
    this.#promise.catch(() => undefined);
    this.#onCancel = onCancel;
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promise.then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#promise.catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.#promise.finally(onFinally);
  }

  /** The result; rejects with the task's error, a CancelledError, or a TimeoutError after `timeout` seconds. */
  result(timeout?: number): Promise<T> {
    if (timeout === undefined || timeout === null || this.done()) return this.#promise;
    return rejectAfter(this.#promise, timeout, `the future did not finish within ${timeout} s`);
  }

  /** The task's error once done (undefined if it succeeded). */
  async exception(timeout?: number): Promise<unknown> {
    try {
      await this.result(timeout);
      return undefined;
    } catch (e) {
      if (this.#hasError) return this.#error;
      throw e;
    }
  }

  /** Cancels the task if no worker has it yet; true if the future is (now) cancelled. */
  cancel(): boolean {
    if (this.#state === 'cancelled') return true;
    if (this.#state !== 'pending') return false;
    if (this.#onCancel && !this.#onCancel()) return false;
    this.#state = 'cancelled';
    this.#hasError = false;
    this.#reject(new CancelledError('the future was cancelled'));
    this.#finish();
    return true;
  }

  cancelled(): boolean {
    return this.#state === 'cancelled';
  }
  running(): boolean {
    return this.#state === 'running';
  }
  done(): boolean {
    return this.#state === 'finished' || this.#state === 'cancelled';
  }
  get state(): FutureState {
    return this.#state;
  }

  /** Calls fn(future) when the future is done (at once if it is). */
  addDoneCallback(fn: (f: Future<T>) => void): void {
    if (this.done()) fn(this);
    else this.#callbacks.push(fn);
  }

  /** @internal */
  setRunning(): boolean {
    if (this.#state !== 'pending') return false;
    this.#state = 'running';
    return true;
  }

  /** @internal */
  setResult(value: T): void {
    if (this.done()) return;
    this.#state = 'finished';
    this.#resolve(value);
    this.#finish();
  }

  /** @internal */
  setException(error: unknown): void {
    if (this.done()) return;
    this.#state = 'finished';
    this.#error = error;
    this.#hasError = true;
    this.#reject(error);
    this.#finish();
  }

  #finish(): void {
    for (const fn of this.#callbacks.splice(0)) {
      try {
        fn(this);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  get [Symbol.toStringTag](): string {
    return `Future<${this.#state}>`;
  }
}
