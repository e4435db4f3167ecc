// mpi4py's File: MPI-IO. open/close/setView/setSize/... and the *_all data
// accesses are collective over the communicator the file was opened on;
// Read_at/Write_at/Read/Write are individual. Offsets are in etypes of the
// current view (bytes by default). Every MPI error names the file's path.
// The blocking calls hold the Node event loop while the I/O runs; Iread_at
// and Iwrite_at return Requests that the native poller completes.
import type { BufferView } from '../native/addon';
import type { Comm } from './comm';
import { BYTE, type Datatype } from './datatype';
import { addon, native, statusRecord } from './environment';
import { Request } from './request';
import type { Status } from './status';
import { infoPairs, type InfoLike } from './info';

const C = addon().fileConstants;
export const MODE_RDONLY: number = C.MODE_RDONLY;
export const MODE_WRONLY: number = C.MODE_WRONLY;
export const MODE_RDWR: number = C.MODE_RDWR;
export const MODE_CREATE: number = C.MODE_CREATE;
export const MODE_EXCL: number = C.MODE_EXCL;
export const MODE_DELETE_ON_CLOSE: number = C.MODE_DELETE_ON_CLOSE;
export const MODE_UNIQUE_OPEN: number = C.MODE_UNIQUE_OPEN;
export const MODE_SEQUENTIAL: number = C.MODE_SEQUENTIAL;
export const MODE_APPEND: number = C.MODE_APPEND;
export const SEEK_SET: number = C.SEEK_SET;
export const SEEK_CUR: number = C.SEEK_CUR;
export const SEEK_END: number = C.SEEK_END;

export class File {
  #handle: number;
  /** The path given to open(). */
  readonly path: string;
  readonly comm: Comm;

  private constructor(handle: number, path: string, comm: Comm) {
    this.#handle = handle;
    this.path = path;
    this.comm = comm;
  }

  /** MPI_File_open, collective over comm (every rank passes the same path and amode). */
  static open(comm: Comm, path: string, amode: number = MODE_RDONLY, info?: InfoLike | null): File {
    return new File(native().fileOpen(comm.handle, path, amode, infoPairs(info, 'File.open')), path, comm);
  }

  /** MPI_File_delete. */
  static delete(path: string, info?: InfoLike | null): void {
    native().fileDelete(path, infoPairs(info, 'File.delete'));
  }

  #h(): number {
    if (this.#handle < 0) throw new Error(`the file ${this.path} has been closed`);
    return this.#handle;
  }

  /** MPI_File_close (collective). */
  close(): void {
    native().fileClose(this.#h());
    this.#handle = -1;
  }

  [Symbol.dispose](): void {
    if (this.#handle >= 0) this.close();
  }

  /** Size in bytes. */
  getSize(): number {
    return native().fileGetSize(this.#h());
  }

  /** Truncates or extends the file (collective). */
  setSize(size: number): void {
    native().fileSetSize(this.#h(), size);
  }

  /** Reserves `size` bytes on disk (collective). */
  preallocate(size: number): void {
    native().filePreallocate(this.#h(), size);
  }

  /** MPI_File_sync: writes reach the storage device (collective). */
  sync(): void {
    native().fileSync(this.#h());
  }

  /**
   * MPI_File_set_view (collective): this rank sees the file from byte `disp`
   * as a sequence of `etype`s laid out by `filetype` (tiled), e.g. a subarray
   * of a global array. Offsets and the file pointers restart at 0.
   */
  setView(
    disp = 0,
    etype: Datatype = BYTE,
    filetype: Datatype = etype,
    datarep = 'native',
    info?: InfoLike | null,
  ): void {
    native().fileSetView(this.#h(), disp, etype, filetype, datarep, infoPairs(info, 'setView'));
  }

  /** Moves the individual file pointer (in etypes). */
  seek(offset: number, whence: number = SEEK_SET): void {
    native().fileSeek(this.#h(), offset, whence);
  }

  /** The individual file pointer, in etypes. */
  getPosition(): number {
    return native().fileGetPosition(this.#h());
  }

  // ---- data access; status.count = bytes moved ---------------------------------

  Read_at(offset: number, buf: BufferView, status?: Status): void {
    native().fileReadAt(this.#h(), offset, buf);
    status?.fill(statusRecord);
  }

  Read_at_all(offset: number, buf: BufferView, status?: Status): void {
    native().fileReadAtAll(this.#h(), offset, buf);
    status?.fill(statusRecord);
  }

  Write_at(offset: number, buf: BufferView, status?: Status): void {
    native().fileWriteAt(this.#h(), offset, buf);
    status?.fill(statusRecord);
  }

  Write_at_all(offset: number, buf: BufferView, status?: Status): void {
    native().fileWriteAtAll(this.#h(), offset, buf);
    status?.fill(statusRecord);
  }

  /** At the individual file pointer, which then advances. */
  Read(buf: BufferView, status?: Status): void {
    native().fileRead(this.#h(), buf);
    status?.fill(statusRecord);
  }

  Read_all(buf: BufferView, status?: Status): void {
    native().fileReadAll(this.#h(), buf);
    status?.fill(statusRecord);
  }

  Write(buf: BufferView, status?: Status): void {
    native().fileWrite(this.#h(), buf);
    status?.fill(statusRecord);
  }

  Write_all(buf: BufferView, status?: Status): void {
    native().fileWriteAll(this.#h(), buf);
    status?.fill(statusRecord);
  }

  /** Nonblocking Read_at; the Request's status.count is the bytes read. */
  Iread_at(offset: number, buf: BufferView): Request<void> {
    return new Request<void>(native().fileIreadAt(this.#h(), offset, buf), () => undefined);
  }

  Iwrite_at(offset: number, buf: BufferView): Request<void> {
    return new Request<void>(native().fileIwriteAt(this.#h(), offset, buf), () => undefined);
  }
}
