// The buffer for buffered sends (mpi4py `MPI.Attach_buffer` and
// `MPI.Detach_buffer`). bsend/Bsend/ibsend/Ibsend and Bsend_init copy their
// message into it, so they complete locally; each message takes its size plus
// BSEND_OVERHEAD bytes until it has been sent.
import { addon, native } from './environment';

/** MPI_BSEND_OVERHEAD: bytes of attached buffer each buffered message needs beyond its own size. */
export const BSEND_OVERHEAD: number = addon().BSEND_OVERHEAD ?? 128;

let attached = 0;

/**
 * MPI_Buffer_attach: a buffer of `size` bytes (allocated here), or the given
 * memory, which MPI then owns until detachBuffer(). One buffer at a time.
 */
export function attachBuffer(sizeOrBuffer: number | ArrayBufferView): void {
  let buffer: ArrayBufferView;
  if (typeof sizeOrBuffer === 'number') {
    if (!Number.isInteger(sizeOrBuffer) || sizeOrBuffer < 0 || sizeOrBuffer > 0x7fffffff) {
      throw new RangeError(`attachBuffer: size must be an integer in 0..2147483647, got ${sizeOrBuffer}`);
    }
    buffer = Buffer.allocUnsafeSlow(sizeOrBuffer);
  } else {
    buffer = sizeOrBuffer;
  }
  native().attachBuffer(buffer);
  attached = buffer.byteLength;
}

/**
 * MPI_Buffer_detach: waits until every buffered message has been sent (a
 * blocking call), then returns the buffer; undefined when none is attached.
 */
export function detachBuffer(): ArrayBufferView | undefined {
  const buffer = native().detachBuffer();
  attached = 0;
  return buffer;
}

/** Bytes attached now (0 when none). */
export function attachedBytes(): number {
  return attached;
}
