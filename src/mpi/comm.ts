// mpi4py's Comm: lowercase methods carry any JavaScript value (through the
// codec), Capitalized methods carry typed buffers with no copy.
import type { BufferView } from '../native/addon';
import { decode } from './codec';
import { addon, native, statusRecord } from './environment';
import {
  allgatherValues, checkLength, encodeBytes, layout, pack, unpackAll,
} from './object-collectives';
import { irecvValue, isendValue, recvValue, sendrecvValue, sendValue } from './object-p2p';
import { Op, SUM, toBuiltinOp, toOp, type ReduceFunction } from './op';
import { Request } from './request';
import { Status } from './status';

const C = addon().constants;
export const ANY_SOURCE: number = C.ANY_SOURCE;
export const ANY_TAG: number = C.ANY_TAG;
export const PROC_NULL: number = C.PROC_NULL;
export const UNDEFINED: number = C.UNDEFINED;
/**
 * MPI_IN_PLACE: pass as the send buffer of Reduce/Allreduce/Scan/Exscan (the
 * result replaces recvbuf), of Allgather(v)/Alltoall(v) (each rank's block is
 * already in recvbuf), and of Gather(v) at the root.
 */
export const IN_PLACE: unique symbol = Symbol('MPI.IN_PLACE');

type SendBuffer = BufferView | typeof IN_PLACE;
/** A vector-collective buffer spec: [buffer, counts, displacements?] (counts and displacements in elements). */
export type VectorSpec = [BufferView, ArrayLike<number>, ArrayLike<number>?];
type OpLike = Op | ReduceFunction<never>;

// A bcast of values first sends this many bytes holding the length and, when
// it fits, the value itself: small values cost one broadcast, not two.
const BCAST_INLINE = 1024;
const bcastScratch = new Uint8Array(BCAST_INLINE);
const bcastHeader = new Float64Array(bcastScratch.buffer, 0, 1);

/**
 * The send buffer for a reduction: IN_PLACE, or the very region of the
 * receive buffer (which MPI forbids as aliasing), both mean MPI_IN_PLACE.
 */
function sendBuffer(b: SendBuffer, recv: BufferView | null | undefined, where: string): BufferView | null {
  if (b === IN_PLACE) return null;
  if (recv && ArrayBuffer.isView(b) && b.buffer === recv.buffer) {
    if (b.byteOffset === recv.byteOffset && b.byteLength === recv.byteLength) return null;
    const overlap = b.byteOffset < recv.byteOffset + recv.byteLength && recv.byteOffset < b.byteOffset + b.byteLength;
    if (overlap) throw new RangeError(`${where}: sendbuf and recvbuf overlap; pass IN_PLACE as sendbuf to reduce in place`);
  }
  return b;
}

function int32s(a: ArrayLike<number>, what: string): Int32Array {
  if (a instanceof Int32Array) return a;
  if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
    throw new TypeError(`${what} must be an array of integers`);
  }
  return Int32Array.from(a);
}

function vector(spec: VectorSpec | null | undefined, size: number, where: string):
    { buf: BufferView; counts: Int32Array; displs: Int32Array } {
  if (!Array.isArray(spec) || spec.length < 2) {
    throw new TypeError(`${where}: expected [buffer, counts, displacements?]`);
  }
  const counts = int32s(spec[1], `${where}: counts`);
  if (counts.length !== size) throw new RangeError(`${where}: counts has ${counts.length} entries, the communicator has ${size} ranks`);
  let displs: Int32Array;
  if (spec[2] === undefined) {
    displs = new Int32Array(size);
    for (let i = 1; i < size; i++) displs[i] = displs[i - 1] + counts[i - 1];
  } else {
    displs = int32s(spec[2], `${where}: displacements`);
    if (displs.length !== size) throw new RangeError(`${where}: displacements has ${displs.length} entries, the communicator has ${size} ranks`);
  }
  return { buf: spec[0], counts, displs };
}

export class Comm {
  #handle: number;
  #rank = -1;
  #size = -1;

  /** Communicators come from COMM_WORLD, COMM_SELF, dup() and split(). */
  constructor(handle: number) {
    this.#handle = handle;
  }

  /** The native handle (-1 once freed or for COMM_NULL). */
  get handle(): number {
    return this.#handle;
  }

  get isNull(): boolean {
    return this.handle < 0;
  }

  get rank(): number {
    if (this.#rank < 0) this.#rank = native().commRank(this.#h());
    return this.#rank;
  }

  get size(): number {
    if (this.#size < 0) this.#size = native().commSize(this.#h());
    return this.#size;
  }

  #h(): number {
    const h = this.handle;
    if (h < 0) throw new Error('the communicator is null (freed, or a split with color UNDEFINED)');
    return h;
  }

  #root(root: number, where: string): number {
    if (!Number.isInteger(root) || root < 0 || root >= this.size) {
      throw new RangeError(`${where}: root ${root} is out of range for a communicator of size ${this.size}`);
    }
    return root;
  }

  // ---- values, point to point -------------------------------------------

  send(obj: unknown, dest: number, tag = 0): void {
    sendValue(this.#h(), obj, dest, tag);
  }

  recv<T = unknown>(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): T {
    return recvValue(this.#h(), source, tag, status) as T;
  }

  sendrecv<T = unknown>(obj: unknown, dest: number, sendtag = 0, source: number = ANY_SOURCE, recvtag: number = ANY_TAG,
           status?: Status): T {
    return sendrecvValue(this.#h(), obj, dest, sendtag, source, recvtag, status) as T;
  }

  /** MPI_Probe. For a value over 32 KiB encoded, count is the size of its 32-byte header (the value follows). */
  probe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status: Status = new Status()): Status {
    native().probe(this.#h(), source, tag);
    return status.fill(statusRecord);
  }

  /** MPI_Iprobe; count as for probe(). */
  iprobe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): boolean {
    const found = native().iprobe(this.#h(), source, tag);
    if (found) status?.fill(statusRecord);
    return found;
  }

  // ---- values, nonblocking ----------------------------------------------

  isend(obj: unknown, dest: number, tag = 0): Request<void> {
    return isendValue(this.#h(), obj, dest, tag);
  }

  /** A real MPI receive (mpi4py's 32 KiB buffer; larger values arrive in two steps): a blocking send matching it completes. */
  irecv<T = unknown>(source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<T> {
    return irecvValue<T>(this.#h(), source, tag);
  }

  // ---- values, collectives ----------------------------------------------

  bcast<T>(obj: T, root = 0): T {
    const N = native();
    const h = this.#h();
    this.#root(root, 'bcast');
    if (this.rank === root) {
      const bytes = encodeBytes(obj, 'obj');
      bcastHeader[0] = bytes.byteLength;
      const inline = bytes.byteLength <= BCAST_INLINE - 8;
      if (inline) bcastScratch.set(bytes, 8);
      N.bcast(h, bcastScratch, root);
      if (!inline) N.bcast(h, bytes, root);
      return obj;
    }
    N.bcast(h, bcastScratch, root);
    const length = bcastHeader[0];
    if (length <= BCAST_INLINE - 8) return decode(bcastScratch.slice(8, 8 + length)) as T;
    const bytes = new Uint8Array(length);
    N.bcast(h, bytes, root);
    return decode(bytes) as T;
  }

  gather<T>(obj: T, root = 0): T[] | undefined {
    const N = native();
    const h = this.#h();
    this.#root(root, 'gather');
    const mine = encodeBytes(obj, 'obj');
    const isRoot = this.rank === root;
    const counts = isRoot ? new Int32Array(this.size) : null;
    N.gather(h, Int32Array.of(checkLength(mine.byteLength, 'gather')), counts, root);
    if (!isRoot || !counts) {
      N.gatherv(h, mine, null, null, null, root);
      return undefined;
    }
    const { displs, total } = layout(counts, 'gather');
    const buf = new Uint8Array(total);
    N.gatherv(h, mine, buf, counts, displs, root);
    return unpackAll(buf, counts, displs) as T[];
  }

  scatter<T>(objs: T[] | undefined, root = 0): T {
    const N = native();
    const h = this.#h();
    this.#root(root, 'scatter');
    const count = new Int32Array(1);
    if (this.rank === root) {
      if (!Array.isArray(objs) || objs.length !== this.size) {
        throw new TypeError(`scatter: at the root, objs must be an array of ${this.size} values (one per rank)`);
      }
      const { buf, counts, displs } = pack(objs.map((o, i) => encodeBytes(o, `objs[${i}]`)), 'scatter');
      N.scatter(h, counts, count, root);
      const mine = new Uint8Array(count[0]);
      N.scatterv(h, buf, counts, displs, mine, root);
      return decode(mine) as T;
    }
    N.scatter(h, null, count, root);
    const mine = new Uint8Array(count[0]);
    N.scatterv(h, null, null, null, mine, root);
    return decode(mine) as T;
  }

  allgather<T>(obj: T): T[] {
    return allgatherValues(native(), this.#h(), this.size, obj, 'allgather') as T[];
  }

  alltoall<T>(objs: T[]): T[] {
    const N = native();
    const h = this.#h();
    if (!Array.isArray(objs) || objs.length !== this.size) {
      throw new TypeError(`alltoall: objs must be an array of ${this.size} values (one per rank)`);
    }
    const { buf, counts, displs } = pack(objs.map((o, i) => encodeBytes(o, `objs[${i}]`)), 'alltoall');
    const rcounts = new Int32Array(this.size);
    N.alltoall(h, counts, rcounts);
    const r = layout(rcounts, 'alltoall');
    const rbuf = new Uint8Array(r.total);
    N.alltoallv(h, buf, counts, displs, rbuf, rcounts, r.displs);
    return unpackAll(rbuf, rcounts, r.displs) as T[];
  }

  /** Reduces values with a built-in Op or a function; the result on root, undefined elsewhere. */
  reduce<T = unknown>(obj: T, op: OpLike = SUM, root = 0): T | undefined {
    const fold = toOp(op, 'reduce').fold;
    const all = this.gather(obj, root);
    return all === undefined ? undefined : all.reduce((a, b) => fold(a, b) as T);
  }

  allreduce<T = unknown>(obj: T, op: OpLike = SUM): T {
    const fold = toOp(op, 'allreduce').fold;
    return this.allgather(obj).reduce((a, b) => fold(a, b) as T);
  }

  /** Inclusive prefix reduction: rank r gets op over ranks 0..r. */
  scan<T = unknown>(obj: T, op: OpLike = SUM): T {
    const fold = toOp(op, 'scan').fold;
    return this.allgather(obj).slice(0, this.rank + 1).reduce((a, b) => fold(a, b) as T);
  }

  /** Exclusive prefix reduction: rank r gets op over ranks 0..r-1; undefined on rank 0. */
  exscan<T = unknown>(obj: T, op: OpLike = SUM): T | undefined {
    const fold = toOp(op, 'exscan').fold;
    const prefix = this.allgather(obj).slice(0, this.rank);
    return prefix.length === 0 ? undefined : prefix.reduce((a, b) => fold(a, b) as T);
  }

  barrier(): void {
    native().barrier(this.#h());
  }

  /** MPI_Ibarrier: completes when every rank has entered the barrier; awaitable, never blocks the event loop. */
  ibarrier(): Request<void> {
    return new Request<void>(native().ibarrier(this.#h()), () => undefined);
  }

  // ---- buffers, point to point ------------------------------------------

  Send(buf: BufferView, dest: number, tag = 0): void {
    native().send(this.#h(), buf, dest, tag);
  }

  Recv(buf: BufferView, source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): void {
    native().recv(this.#h(), buf, source, tag);
    status?.fill(statusRecord);
  }

  Sendrecv(sendbuf: BufferView, dest: number, sendtag: number, recvbuf: BufferView,
           source: number = ANY_SOURCE, recvtag: number = ANY_TAG, status?: Status): void {
    native().sendrecv(this.#h(), sendbuf, dest, sendtag, recvbuf, source, recvtag);
    status?.fill(statusRecord);
  }

  Isend(buf: BufferView, dest: number, tag = 0): Request<void> {
    return new Request<void>(native().isend(this.#h(), buf, dest, tag), () => undefined);
  }

  Irecv(buf: BufferView, source: number = ANY_SOURCE, tag: number = ANY_TAG): Request<void> {
    return new Request<void>(native().irecv(this.#h(), buf, source, tag), () => undefined);
  }

  // ---- buffers, collectives ---------------------------------------------

  Barrier(): void {
    native().barrier(this.#h());
  }

  Bcast(buf: BufferView, root = 0): void {
    native().bcast(this.#h(), buf, this.#root(root, 'Bcast'));
  }

  Reduce(sendbuf: SendBuffer, recvbuf: BufferView | null | undefined, op: Op = SUM, root = 0): void {
    native().reduce(this.#h(), sendBuffer(sendbuf, recvbuf, 'Reduce'), recvbuf ?? null, toBuiltinOp(op, 'Reduce'), this.#root(root, 'Reduce'));
  }

  Allreduce(sendbuf: SendBuffer, recvbuf: BufferView, op: Op = SUM): void {
    native().allreduce(this.#h(), sendBuffer(sendbuf, recvbuf, 'Allreduce'), recvbuf, toBuiltinOp(op, 'Allreduce'));
  }

  Scan(sendbuf: SendBuffer, recvbuf: BufferView, op: Op = SUM): void {
    native().scan(this.#h(), sendBuffer(sendbuf, recvbuf, 'Scan'), recvbuf, toBuiltinOp(op, 'Scan'));
  }

  Exscan(sendbuf: SendBuffer, recvbuf: BufferView, op: Op = SUM): void {
    native().exscan(this.#h(), sendBuffer(sendbuf, recvbuf, 'Exscan'), recvbuf, toBuiltinOp(op, 'Exscan'));
  }

  #rootInPlace(sendbuf: SendBuffer, root: number, where: string): BufferView | null {
    if (sendbuf !== IN_PLACE) return sendbuf;
    if (this.rank !== root) throw new TypeError(`${where}: IN_PLACE as sendbuf is only valid at the root (rank ${root})`);
    return null;
  }

  Gather(sendbuf: SendBuffer, recvbuf: BufferView | null | undefined, root = 0): void {
    this.#root(root, 'Gather');
    native().gather(this.#h(), this.#rootInPlace(sendbuf, root, 'Gather'), recvbuf ?? null, root);
  }

  Scatter(sendbuf: BufferView | null | undefined, recvbuf: BufferView, root = 0): void {
    native().scatter(this.#h(), sendbuf ?? null, recvbuf, this.#root(root, 'Scatter'));
  }

  Allgather(sendbuf: SendBuffer, recvbuf: BufferView): void {
    native().allgather(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, recvbuf);
  }

  Alltoall(sendbuf: SendBuffer, recvbuf: BufferView): void {
    native().alltoall(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, recvbuf);
  }

  Gatherv(sendbuf: SendBuffer, recv: VectorSpec | null | undefined, root = 0): void {
    this.#root(root, 'Gatherv');
    const send = this.#rootInPlace(sendbuf, root, 'Gatherv');
    if (this.rank !== root) {
      native().gatherv(this.#h(), send, null, null, null, root);
      return;
    }
    const r = vector(recv, this.size, 'Gatherv');
    native().gatherv(this.#h(), send, r.buf, r.counts, r.displs, root);
  }

  Scatterv(send: VectorSpec | null | undefined, recvbuf: BufferView, root = 0): void {
    this.#root(root, 'Scatterv');
    if (this.rank !== root) {
      native().scatterv(this.#h(), null, null, null, recvbuf, root);
      return;
    }
    const s = vector(send, this.size, 'Scatterv');
    native().scatterv(this.#h(), s.buf, s.counts, s.displs, recvbuf, root);
  }

  Allgatherv(sendbuf: SendBuffer, recv: VectorSpec): void {
    const r = vector(recv, this.size, 'Allgatherv');
    native().allgatherv(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, r.buf, r.counts, r.displs);
  }

  /** With send IN_PLACE, each rank's outgoing blocks are taken from recv's layout and replaced by the incoming ones. */
  Alltoallv(send: VectorSpec | typeof IN_PLACE, recv: VectorSpec): void {
    const r = vector(recv, this.size, 'Alltoallv');
    if (send === IN_PLACE) {
      native().alltoallv(this.#h(), null, null, null, r.buf, r.counts, r.displs);
      return;
    }
    const s = vector(send, this.size, 'Alltoallv');
    native().alltoallv(this.#h(), s.buf, s.counts, s.displs, r.buf, r.counts, r.displs);
  }

  // ---- communicator management ------------------------------------------

  /** A new communicator with the same group (MPI_Comm_dup). */
  dup(): Comm {
    return new Comm(native().commDup(this.#h()));
  }

  /** MPI_Comm_split; with color UNDEFINED the result is a null communicator (isNull). */
  split(color: number, key = 0): Comm {
    return new Comm(native().commSplit(this.#h(), color, key));
  }

  free(): void {
    if (this.handle !== this.#handle) throw new Error('free: the event loop\'s communicator cannot be freed');
    if (this.#handle <= 1) {
      throw new Error(this.#handle < 0 ? 'free: the communicator is already null' : 'free: COMM_WORLD and COMM_SELF cannot be freed');
    }
    native().commFree(this.#handle);
    this.#handle = -1;
  }

  [Symbol.dispose](): void {
    if (this.#handle > 1 && this.handle === this.#handle) this.free();
  }
}

export const COMM_WORLD: Comm = new Comm(0);
export const COMM_SELF: Comm = new Comm(1);
export const COMM_NULL: Comm = new Comm(-1);
