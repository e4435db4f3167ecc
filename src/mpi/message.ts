// Matched messages (mpi4py's Message): Comm.mprobe/Mprobe match a message
// and take it out of the queue, so no other receive can take it; the Message
// then receives it exactly once, as a value (recv, irecv) or into a typed
// buffer (Recv, Irecv). A probe of PROC_NULL gives MESSAGE_NO_PROC, whose
// receives complete at once with source PROC_NULL.
import type { BufferView } from '../native/addon';
import { native, statusRecord } from './environment';
import { finishReceived, valueOrBody } from './object-p2p';
import { Request } from './request';
import type { Status } from './status';

const NO_PROC_ID = -1;

export class Message {
  #id: number | undefined;
  #comm: number;

  /** Made by Comm.mprobe, improbe, Mprobe and Improbe. */
  constructor(comm: number, id: number | undefined) {
    this.#comm = comm;
    this.#id = id;
  }

  /** True for MESSAGE_NULL and once the message has been received. */
  get isNull(): boolean {
    return this.#id === undefined;
  }

  #take(where: string): number {
    const id = this.#id;
    if (id === undefined) {
      throw new Error(`${where}: the message is null (already received, or MESSAGE_NULL)`);
    }
    if (id !== NO_PROC_ID) this.#id = undefined;
    return id;
  }

  /** MPI_Mrecv of a value. For a value over 32 KiB encoded, the status count is its body's size. */
  recv<T = unknown>(status?: Status): T {
    const data = native().mrecv(this.#take('recv'), null) as ArrayBuffer;
    return finishReceived(this.#comm, data, status) as T;
  }

  /** MPI_Imrecv of a value. */
  irecv<T = unknown>(): Request<T> {
    const comm = this.#comm;
    return new Request<T>(native().imrecv(this.#take('irecv'), null), (data, st) =>
      valueOrBody<T>(comm, new Uint8Array(data ?? new ArrayBuffer(0)), st, false),
    );
  }

  /** MPI_Mrecv into a typed buffer. */
  Recv(buf: BufferView, status?: Status): void {
    const N = native();
    // Checked before the message is taken, so a wrong argument leaves it receivable.
    if (!ArrayBuffer.isView(buf))
      throw new TypeError('Recv: buf must be an ArrayBufferView (TypedArray, Buffer or DataView)');
    N.mrecv(this.#take('Recv'), buf);
    status?.fill(statusRecord);
  }

  /** MPI_Imrecv into a typed buffer. */
  Irecv(buf: BufferView): Request<void> {
    if (!ArrayBuffer.isView(buf))
      throw new TypeError('Irecv: buf must be an ArrayBufferView (TypedArray, Buffer or DataView)');
    return new Request<void>(native().imrecv(this.#take('Irecv'), buf), () => undefined);
  }
}

/** MPI_MESSAGE_NULL: no message; receiving from it throws. */
export const MESSAGE_NULL: Message = new Message(-1, undefined);
/** MPI_MESSAGE_NO_PROC: what a matched probe of PROC_NULL gives; receives complete at once with source PROC_NULL. */
export const MESSAGE_NO_PROC: Message = new Message(-1, NO_PROC_ID);

/** The Message for a native message id (-1: MESSAGE_NO_PROC). */
export function matchedMessage(comm: number, id: number): Message {
  return id === NO_PROC_ID ? MESSAGE_NO_PROC : new Message(comm, id);
}
