// Persistent requests (mpi4py's Prequest): made once by Comm's Send_init,
// Ssend_init, Bsend_init, Rsend_init or Recv_init, then started and
// completed any number of times. Each start() is one activation, completed
// by the poller like any request (wait(), test(), the set functions); in
// between the request is inactive, as MPI's is.
import { addon, native } from './environment';
import { Request } from './request';

const PROC_NULL = addon().constants.PROC_NULL;

/** A persistent request: start() it, wait() for it, start it again; free() it when done. */
export class Prequest extends Request<void> {
  #pid: number;
  #fromProcNull: boolean;

  /** Made by Comm's *_init methods; `receiveFrom`: a receive's source. */
  constructor(prequestId: number, receiveFrom?: number) {
    super(-1, () => undefined);
    this.#pid = prequestId;
    this.#fromProcNull = receiveFrom === PROC_NULL;
  }

  /** @internal */
  override settle(
    source: number,
    tag: number,
    count: number,
    error: number,
    data: ArrayBuffer | undefined,
    cancelled = false,
  ): void {
    // MPICH 4.0 reports MPI_ANY_SOURCE for a persistent receive from MPI_PROC_NULL.
    super.settle(this.#fromProcNull ? PROC_NULL : source, tag, count, error, data, cancelled);
  }

  #usable(where: string): number {
    if (this.#pid < 0) throw new Error(`${where}: the persistent request has been freed`);
    if (this.isPending()) {
      throw new Error(`${where}: the persistent request is active; wait for it to complete first`);
    }
    return this.#pid;
  }

  /** MPI_Start: begins one activation. */
  start(): void {
    this.rearm(native().start(this.#usable('start')));
  }

  /** MPI_Startall: begins one activation of each. */
  static startall(requests: readonly Prequest[]): void {
    if (!Array.isArray(requests) || requests.some((r) => !(r instanceof Prequest))) {
      throw new TypeError('startall: expected an array of persistent requests (Prequest)');
    }
    const ids = Int32Array.from(requests, (r, i) => r.#usable(`startall: requests[${i}]`));
    if (new Set(ids).size !== ids.length) throw new Error('startall: the same request appears twice');
    const started = native().startall(ids);
    requests.forEach((r, i) => r.rearm(started[i]));
  }

  /** MPI_Request_free: releases the request (and its hold on the buffer); it must be inactive. */
  free(): void {
    native().prequestFree(this.#usable('free'));
    this.#pid = -1;
  }

  [Symbol.dispose](): void {
    if (this.#pid >= 0 && !this.isPending()) this.free();
  }
}
