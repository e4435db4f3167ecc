// Nonblocking requests as Promises. The native poller completes requests from
// libuv (spinning briefly, then sleeping), so waiting never blocks Node's
// event loop; each completion arrives through one callback, dispatched here.
import { native, statusRecord } from './environment';
import { MPIError } from './errors';
import { Status } from './status';

type Finish<T> = (data: ArrayBuffer | undefined) => T;

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

/** An error for a request that was cancelled before it completed. */
export class CancelledError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(message = 'the request was cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

export class Request<T> {
  readonly status = new Status();
  #id: number;
  #finish: Finish<T>;
  #done = false;
  #result: { ok: true; value: T } | { ok: false; error: Error } | undefined;
  #waiters: Array<[(v: T) => void, (e: Error) => void]> = [];

  /** @internal: created by Comm's nonblocking methods. */
  constructor(id: number, finish: Finish<T>) {
    installCallback();
    this.#id = id;
    this.#finish = finish;
    inFlight.set(id, this as Request<unknown>);
  }

  /** Resolves with the received value (receives) or undefined (sends) once complete. */
  wait(): Promise<T> {
    const r = this.#result;
    if (r) return r.ok ? Promise.resolve(r.value) : Promise.reject(r.error);
    return new Promise<T>((resolve, reject) => this.#waiters.push([resolve, reject]));
  }

  /** True once the request has completed (MPI_Test); never blocks. */
  test(): boolean {
    if (this.#done) return true;
    if (!native().test(this.#id)) return false;
    inFlight.delete(this.#id);
    const s = statusRecord;
    // Probe-receives complete with their data only through the callback path.
    this.settle(s[0], s[1], s[2], s[3], undefined, s[4] !== 0);
    return true;
  }

  /** MPI_Cancel: the wait() Promise rejects with an AbortError unless the request had completed. */
  cancel(): void {
    if (!this.#done) native().cancel(this.#id);
  }

  /** @internal */
  settle(source: number, tag: number, count: number, error: number, data: ArrayBuffer | undefined,
         cancelled = false): void {
    if (this.#done) return;
    this.#done = true;
    Object.assign(this.status, { source, tag, count, error, cancelled });
    if (cancelled) {
      this.#result = { ok: false, error: new CancelledError() };
    } else if (error !== 0) {
      const N = native();
      this.#result = { ok: false, error: new MPIError(N.errorString(error), N.errorClass(error), error) };
    } else {
      try {
        this.#result = { ok: true, value: this.#finish(data) };
      } catch (e) {
        this.#result = { ok: false, error: e as Error };
      }
    }
    const r = this.#result;
    for (const [resolve, reject] of this.#waiters) {
      if (r.ok) resolve(r.value); else reject(r.error);
    }
    this.#waiters = [];
  }
}
