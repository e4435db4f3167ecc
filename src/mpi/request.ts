// Nonblocking requests as Promises. The native poller completes requests from
// libuv (spinning briefly, then sleeping), so waiting never blocks Node's
// event loop; each completion arrives through one callback, dispatched here.
// test() completes a request just as well (MPI_Test), so synchronous polling
// loops work too. A request may run in stages (a large value's header, then
// its body): the stage's finish returns `Next` and the request carries on
// with the next native request.
import { native, statusRecord } from './environment';
import { MPIError } from './errors';
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

/** A nonblocking operation (mpi4py's Request): wait() or await it, poll it with test(), cancel() it. */
export class Request<T> implements PromiseLike<T> {
  readonly status = new Status();
  #id: number;
  #finish: Finish<T>;
  #staged = false;
  #done = false;
  #result: { ok: true; value: T } | { ok: false; error: Error } | undefined;
  #waiters: Array<[(v: T) => void, (e: Error) => void]> = [];

  /**
   * Created by Comm's nonblocking methods. `envelope`: the source
   * and tag to report when `id` is a later stage already (a large value's
   * body, whose header has been sent).
   */
  constructor(id: number, finish: Finish<T>, envelope?: { source: number; tag: number }) {
    installCallback();
    this.#id = id;
    this.#finish = finish;
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
    if (r) return r.ok ? Promise.resolve(r.value) : Promise.reject(r.error);
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
    const N = native();
    // A completed stage may start the next one: test that at once too.
    while (!this.#done) {
      const got = N.test(this.#id);
      if (got === false) return false;
      inFlight.delete(this.#id);
      const s = statusRecord;
      this.settle(s[0], s[1], s[2], s[3], got === true ? undefined : got, s[4] !== 0);
    }
    return true;
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
    let result: { ok: true; value: T } | { ok: false; error: Error };
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
    for (const [resolve, reject] of this.#waiters) {
      if (result.ok) resolve(result.value);
      else reject(result.error);
    }
    this.#waiters = [];
  }
}
