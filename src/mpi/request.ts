// Nonblocking requests as Promises. The native poller completes requests from
// libuv (spinning briefly, then sleeping), so waiting never blocks Node's
// event loop; each completion arrives through one callback, dispatched here.
// test() completes a request just as well (MPI_Test), so synchronous polling
// loops work too. A request may run in stages (a large value's header, then
// its body): the stage's finish returns `Next` and the request carries on
// with the next native request.
import { addon, native, statusRecord } from './environment';
import { MPIError } from './errors';
import { testall, testany, testsome, waitall, waitany, waitsome, type RequestValues } from './request-sets';
import { Status } from './status';
import { CancelledError } from '../util/cancelled';

/** Turns a completed native request into the value, or into the next stage. */
export type Finish<T> = (data: ArrayBuffer | undefined, status: Status) => T | Next<T>;

/** The next stage of a request: native request `id`; status source and tag stay those of the first stage. */
export class Next<T> {
  constructor(
    readonly id: number,
    readonly finish: Finish<T>,
  ) {}
}

const inFlight = new Map<number, Request<unknown>>();
let callbackInstalled = false;

function installCallback(): void {
  if (callbackInstalled) return;
  callbackInstalled = true;
  native().setCompletionCallback((id, source, tag, count, error, data, cancelled) => {
    const request = inFlight.get(id);
    if (!request) return;
    inFlight.delete(id);
    request.settle(source, tag, count, error, data, Boolean(cancelled));
  });
}

/** How a request ended: its value, or its error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/** A request in a set: null and undefined count as REQUEST_NULL. */
export type RequestLike = Request<unknown> | null | undefined;

/** MPI's empty status: what a null or inactive request reports. */
function makeEmpty(status: Status): void {
  const C = addon().constants;
  Object.assign(status, { source: C.ANY_SOURCE, tag: C.ANY_TAG, count: 0, error: 0, cancelled: false });
}

/**
 * A nonblocking operation (mpi4py's Request): wait() or await it, poll it
 * with test(), cancel() it. Once its completion has been reported (by
 * wait(), test() or one of the set functions), a set function treats it as
 * MPI treats a request it has set to REQUEST_NULL: it is skipped.
 */
export class Request<T> implements PromiseLike<T> {
  readonly status = new Status();
  #id: number;
  #finish: Finish<T>;
  #staged = false;
  #done = false;
  #reported = false;
  #result: Outcome<T> | undefined;
  #waiters: Array<[(v: T) => void, (e: Error) => void]> = [];
  #listeners = new Set<() => void>();

  /**
   * Created by Comm's nonblocking methods. `envelope`: the source
   * and tag to report when `id` is a later stage already (a large value's
   * body, whose header has been sent). A negative id makes an inactive
   * request (REQUEST_NULL, a persistent request not yet started).
   */
  constructor(id: number, finish: Finish<T>, envelope?: { source: number; tag: number }) {
    this.#id = id;
    this.#finish = finish;
    if (id < 0) {
      this.#done = this.#reported = true;
      this.#result = { ok: true, value: undefined as T };
      makeEmpty(this.status);
      return;
    }
    installCallback();
    if (envelope) {
      this.#staged = true;
      this.status.source = envelope.source;
      this.status.tag = envelope.tag;
    }
    inFlight.set(id, this as Request<unknown>);
  }

  /** Resolves with the received value (receives) or undefined (sends) once complete. */
  wait(): Promise<T> {
    const r = this.#result;
    if (r) {
      this.#reported = true;
      return r.ok ? Promise.resolve(r.value) : Promise.reject(r.error);
    }
    return new Promise<T>((resolve, reject) => this.#waiters.push([resolve, reject]));
  }

  /** `await request` is `await request.wait()`. */
  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.wait().then(onfulfilled, onrejected);
  }

  /** True once the request has completed (MPI_Test); never blocks. Stays true afterwards. */
  test(): boolean {
    if (!this.poll()) return false;
    this.#reported = true;
    return true;
  }

  /** @internal MPI_Test without reporting the completion: true once complete. */
  poll(): boolean {
    // A completed stage may start the next one: test that at once too.
    while (!this.#done) {
      const got = native().test(this.#id);
      if (got === false) return false;
      inFlight.delete(this.#id);
      const s = statusRecord;
      this.settle(s[0], s[1], s[2], s[3], got === true ? undefined : got, s[4] !== 0);
    }
    return true;
  }

  /** @internal False for REQUEST_NULL, inactive persistent requests and completions already reported. */
  isActive(): boolean {
    return !(this.#done && this.#reported);
  }

  /** @internal Started and not complete yet. */
  isPending(): boolean {
    return !this.#done;
  }

  /** @internal Reports the completion (the request becomes inactive); call once poll() is true. */
  take(): Outcome<T> {
    this.#reported = true;
    return this.#result ?? { ok: false, error: new Error('the request has not completed') };
  }

  /** @internal Calls `listener` once at completion (at once if complete); returns the unsubscribe. */
  onDone(listener: () => void): () => void {
    if (this.#done) {
      listener();
      return () => {};
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @internal A persistent request's new activation: native request `id`. */
  protected rearm(id: number): void {
    installCallback();
    this.#id = id;
    this.#staged = this.#done = this.#reported = false;
    this.#result = undefined;
    inFlight.set(id, this as Request<unknown>);
  }

  // ---- sets of requests (mpi4py's Request.waitany, ...) -------------------

  /**
   * Waits until one active request completes: [its index, its value]; a
   * failed request rejects with its own error. [UNDEFINED, undefined] at once
   * when none is active.
   */
  static waitany<R extends readonly RequestLike[]>(
    requests: R,
    status?: Status,
  ): Promise<[number, RequestValues<R>[number] | undefined]> {
    return waitany(requests, status);
  }

  /** MPI_Testany, never blocks: [index, flag, value]; flag true and index UNDEFINED when none is active. */
  static testany<R extends readonly RequestLike[]>(
    requests: R,
    status?: Status,
  ): [number, boolean, RequestValues<R>[number] | undefined] {
    return testany(requests, status);
  }

  /**
   * Waits for every request: their values, by index (undefined for null or
   * inactive ones). If any failed, rejects once all are complete with an
   * MPIError of class ERR_IN_STATUS whose `errors` holds each one's error.
   */
  static waitall<R extends readonly RequestLike[]>(requests: R, statuses?: Status[]): Promise<RequestValues<R>> {
    return waitall(requests, statuses);
  }

  /** MPI_Testall, never blocks: [true, values] once every request is complete, else [false, undefined]. */
  static testall<R extends readonly RequestLike[]>(
    requests: R,
    statuses?: Status[],
  ): [boolean, RequestValues<R> | undefined] {
    return testall(requests, statuses);
  }

  /**
   * Waits until at least one active request completes: [indices, values] of
   * every completed one; [undefined, undefined] when none is active. Failures
   * reject as for waitall.
   */
  static waitsome<R extends readonly RequestLike[]>(
    requests: R,
    statuses?: Status[],
  ): Promise<[number[] | undefined, Array<RequestValues<R>[number]> | undefined]> {
    return waitsome(requests, statuses);
  }

  /** MPI_Testsome, never blocks: as waitsome, with empty arrays when none has completed. */
  static testsome<R extends readonly RequestLike[]>(
    requests: R,
    statuses?: Status[],
  ): [number[] | undefined, Array<RequestValues<R>[number]> | undefined] {
    return testsome(requests, statuses);
  }

  /**
   * MPI_Cancel: the wait() Promise rejects with a CancelledError unless the
   * request had completed. Once a large value's header has been sent or
   * received, its body follows and the request completes normally.
   */
  cancel(): void {
    if (!this.#done && !this.#staged) native().cancel(this.#id);
  }

  /** @internal */
  settle(
    source: number,
    tag: number,
    count: number,
    error: number,
    data: ArrayBuffer | undefined,
    cancelled = false,
  ): void {
    if (this.#done) return;
    const status = this.status;
    if (this.#staged) {
      status.count = count;
      status.error = error;
      status.cancelled = cancelled;
    } else {
      Object.assign(status, { source, tag, count, error, cancelled });
    }
    let result: Outcome<T>;
    if (cancelled) {
      result = { ok: false, error: new CancelledError('the request was cancelled') };
    } else if (error !== 0) {
      const N = native();
      result = { ok: false, error: new MPIError(N.errorString(error), N.errorClass(error), error) };
    } else {
      try {
        const out = this.#finish(data, status);
        if (out instanceof Next) {
          this.#staged = true;
          this.#id = out.id;
          this.#finish = out.finish;
          inFlight.set(out.id, this as Request<unknown>);
          return;
        }
        result = { ok: true, value: out };
      } catch (e) {
        result = { ok: false, error: e as Error };
      }
    }
    this.#done = true;
    this.#result = result;
    if (this.#waiters.length > 0) this.#reported = true;
    for (const [resolve, reject] of this.#waiters) {
      if (result.ok) resolve(result.value);
      else reject(result.error);
    }
    this.#waiters = [];
    for (const listener of [...this.#listeners]) listener();
    this.#listeners.clear();
  }
}

/** MPI_REQUEST_NULL: complete, inactive; wait() resolves undefined at once, set functions skip it. */
export const REQUEST_NULL: Request<void> = new Request<void>(-1, () => undefined);
