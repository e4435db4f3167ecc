// mpi4py's Comm: lowercase methods carry any JavaScript value (through the
// codec), Capitalized methods carry typed buffers with no copy.
import type { BufferView } from '../native/addon';
import { addon, native, statusRecord } from './environment';
import { allgatherValues, alltoallValues, bcastValue, gatherValues, scatterValues } from './object-collectives';
import {
  iallgatherValues,
  ialltoallValues,
  ibcastValue,
  igatherValues,
  iscatterValues,
} from './object-nonblocking-collectives';
import { irecvValue, isendValue, recvValue, sendrecvValue, sendValue } from './object-p2p';
import { bytesOf, Op, pairCode, SUM, toBufferOp, toOp, type ReduceFunction } from './op';
import { PairBuffer } from './pair-buffer';
import { Request } from './request';
import { Status } from './status';

const C = addon().constants;
export const ANY_SOURCE: number = C.ANY_SOURCE;
export const ANY_TAG: number = C.ANY_TAG;
export const PROC_NULL: number = C.PROC_NULL;
export const UNDEFINED: number = C.UNDEFINED;
/**
 * MPI_IN_PLACE: pass as the send buffer of Reduce (at the root),
 * Allreduce, Scan, Exscan and Reduce_scatter(_block) (the result replaces
 * recvbuf), of Allgather(v)/Alltoall(v) (each rank's block is already in
 * recvbuf) and of Gather(v) at the root; or as the receive buffer of
 * Scatter(v) at the root (its own block stays in sendbuf). The nonblocking
 * forms take it alike.
 */
export const IN_PLACE: unique symbol = Symbol('MPI.IN_PLACE');

type SendBuffer = BufferView | typeof IN_PLACE;
/** A vector-collective buffer spec: [buffer, counts, displacements?] (counts and displacements in elements). */
export type VectorSpec = [BufferView, ArrayLike<number>, ArrayLike<number>?];
type OpLike = Op | ReduceFunction<never>;
/** A reduction buffer: a typed array, or a PairBuffer for MAXLOC/MINLOC (and user ops on pairs). */
export type ReduceBuffer = BufferView | PairBuffer;
type ReduceSend = ReduceBuffer | typeof IN_PLACE;

/** The addon's arguments of a buffer reduction: views, op code and pair index. */
function reduction(
  sendbuf: ReduceSend,
  recvbuf: ReduceBuffer | null | undefined,
  op: Op,
  where: string,
): { send: BufferView | null; recv: BufferView | null; op: number; pair: number } {
  const pair = pairCode(where, sendbuf === IN_PLACE ? null : sendbuf, recvbuf);
  const recv = recvbuf ? bytesOf(recvbuf) : null;
  const send = sendbuf === IN_PLACE ? null : sendBuffer(bytesOf(sendbuf), recv, where);
  return { send, recv, op: toBufferOp(op, where, pair), pair };
}

/** Elements of a reduction buffer (pairs of a PairBuffer). */
function elements(b: ReduceBuffer): number {
  if (b instanceof PairBuffer) return b.length;
  return (b as { length?: number }).length ?? b.byteLength;
}

/** Reduce_scatter's default counts: `total` elements split as evenly as possible, the first ranks one more. */
function evenCounts(total: number, size: number): Int32Array {
  const counts = new Int32Array(size);
  for (let i = 0; i < size; i++) counts[i] = Math.floor(total / size) + (i < total % size ? 1 : 0);
  return counts;
}

/** A collective's Request: completes with undefined, or with the error a user op threw meanwhile. */
function collective(id: number, op?: Op, where = ''): Request<void> {
  return new Request<void>(id, () => op?.throwFailure(where));
}

/**
 * The send buffer for a reduction: IN_PLACE, or the very region of the
 * receive buffer (which MPI forbids as aliasing), both mean MPI_IN_PLACE.
 */
function sendBuffer(b: SendBuffer, recv: BufferView | null | undefined, where: string): BufferView | null {
  if (b === IN_PLACE) return null;
  if (recv && ArrayBuffer.isView(b) && b.buffer === recv.buffer) {
    if (b.byteOffset === recv.byteOffset && b.byteLength === recv.byteLength) return null;
    const overlap = b.byteOffset < recv.byteOffset + recv.byteLength && recv.byteOffset < b.byteOffset + b.byteLength;
    if (overlap)
      throw new RangeError(`${where}: sendbuf and recvbuf overlap; pass IN_PLACE as sendbuf to reduce in place`);
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

function vector(
  spec: VectorSpec | null | undefined,
  size: number,
  where: string,
): { buf: BufferView; counts: Int32Array; displs: Int32Array } {
  if (!Array.isArray(spec) || spec.length < 2) {
    throw new TypeError(`${where}: expected [buffer, counts, displacements?]`);
  }
  const counts = int32s(spec[1], `${where}: counts`);
  if (counts.length !== size)
    throw new RangeError(`${where}: counts has ${counts.length} entries, the communicator has ${size} ranks`);
  let displs: Int32Array;
  if (spec[2] === undefined) {
    displs = new Int32Array(size);
    for (let i = 1; i < size; i++) displs[i] = displs[i - 1] + counts[i - 1];
  } else {
    displs = int32s(spec[2], `${where}: displacements`);
    if (displs.length !== size)
      throw new RangeError(`${where}: displacements has ${displs.length} entries, the communicator has ${size} ranks`);
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

  sendrecv<T = unknown>(
    obj: unknown,
    dest: number,
    sendtag = 0,
    source: number = ANY_SOURCE,
    recvtag: number = ANY_TAG,
    status?: Status,
  ): T {
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
    return bcastValue(native(), this.#h(), this.rank, obj, this.#root(root, 'bcast')) as T;
  }

  gather<T>(obj: T, root = 0): T[] | undefined {
    return gatherValues(native(), this.#h(), this.rank, this.size, obj, this.#root(root, 'gather')) as T[] | undefined;
  }

  scatter<T>(objs: T[] | undefined, root = 0): T {
    const h = this.#h();
    this.#root(root, 'scatter');
    if (this.rank === root && (!Array.isArray(objs) || objs.length !== this.size)) {
      throw new TypeError(`scatter: at the root, objs must be an array of ${this.size} values (one per rank)`);
    }
    return scatterValues(native(), h, this.rank, this.size, objs, root) as T;
  }

  allgather<T>(obj: T): T[] {
    return allgatherValues(native(), this.#h(), this.size, obj, 'allgather') as T[];
  }

  alltoall<T>(objs: T[]): T[] {
    const h = this.#h();
    if (!Array.isArray(objs) || objs.length !== this.size) {
      throw new TypeError(`alltoall: objs must be an array of ${this.size} values (one per rank)`);
    }
    return alltoallValues(native(), h, this.size, objs) as T[];
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
    return this.allgather(obj)
      .slice(0, this.rank + 1)
      .reduce((a, b) => fold(a, b) as T);
  }

  /** Exclusive prefix reduction: rank r gets op over ranks 0..r-1; undefined on rank 0. */
  exscan<T = unknown>(obj: T, op: OpLike = SUM): T | undefined {
    const fold = toOp(op, 'exscan').fold;
    const prefix = this.allgather(obj).slice(0, this.rank);
    return prefix.length === 0 ? undefined : prefix.reduce((a, b) => fold(a, b) as T);
  }

  /** objs[i] is this rank's contribution to rank i (objs.length === size); rank i gets op over every rank's objs[i]. */
  reduceScatter<T = unknown>(objs: T[], op: OpLike = SUM): T {
    const fold = toOp(op, 'reduceScatter').fold;
    return this.alltoall(objs).reduce((a, b) => fold(a, b) as T);
  }

  barrier(): void {
    native().barrier(this.#h());
  }

  /** MPI_Ibarrier: completes when every rank has entered the barrier; awaitable, never blocks the event loop. */
  ibarrier(): Request<void> {
    return new Request<void>(native().ibarrier(this.#h()), () => undefined);
  }

  // ---- values, nonblocking collectives ----------------------------------
  // Each posts one nonblocking collective at the call (large values follow
  // point to point), so several may be outstanding on one communicator, in
  // any mix with blocking collectives, as long as every rank calls them in
  // the same order. They never block the event loop.

  ibcast<T>(obj: T, root = 0): Request<T> {
    return ibcastValue(native(), this.#h(), this.rank, this.size, obj, this.#root(root, 'ibcast'));
  }

  /** The list on the root, undefined elsewhere. */
  igather<T>(obj: T, root = 0): Request<T[] | undefined> {
    const h = this.#h();
    return igatherValues(native(), h, this.rank, this.size, obj, this.#root(root, 'igather'), (v) => v as T[]);
  }

  iscatter<T>(objs: T[] | undefined, root = 0): Request<T> {
    const h = this.#h();
    this.#root(root, 'iscatter');
    if (this.rank === root && (!Array.isArray(objs) || objs.length !== this.size)) {
      throw new TypeError(`iscatter: at the root, objs must be an array of ${this.size} values (one per rank)`);
    }
    return iscatterValues<T>(native(), h, this.rank, this.size, objs, root);
  }

  iallgather<T>(obj: T): Request<T[]> {
    return iallgatherValues(native(), this.#h(), this.rank, this.size, obj, (v) => v as T[]);
  }

  ialltoall<T>(objs: T[]): Request<T[]> {
    const h = this.#h();
    if (!Array.isArray(objs) || objs.length !== this.size) {
      throw new TypeError(`ialltoall: objs must be an array of ${this.size} values (one per rank)`);
    }
    return ialltoallValues(native(), h, this.rank, this.size, objs, (v) => v as T[]);
  }

  /** The reduction on the root (undefined elsewhere), folded in rank order. */
  ireduce<T = unknown>(obj: T, op: OpLike = SUM, root = 0): Request<T | undefined> {
    const fold = toOp(op, 'ireduce').fold;
    const h = this.#h();
    return igatherValues(native(), h, this.rank, this.size, obj, this.#root(root, 'ireduce'), (all) =>
      all.reduce((a, b) => fold(a, b)),
    ) as Request<T | undefined>;
  }

  iallreduce<T = unknown>(obj: T, op: OpLike = SUM): Request<T> {
    const fold = toOp(op, 'iallreduce').fold;
    return iallgatherValues(native(), this.#h(), this.rank, this.size, obj, (all) =>
      all.reduce((a, b) => fold(a, b)),
    ) as Request<T>;
  }

  /** Inclusive prefix reduction: rank r gets op over ranks 0..r. */
  iscan<T = unknown>(obj: T, op: OpLike = SUM): Request<T> {
    const fold = toOp(op, 'iscan').fold;
    const rank = this.rank;
    return iallgatherValues(native(), this.#h(), rank, this.size, obj, (all) =>
      all.slice(0, rank + 1).reduce((a, b) => fold(a, b)),
    ) as Request<T>;
  }

  /** Exclusive prefix reduction: undefined on rank 0. */
  iexscan<T = unknown>(obj: T, op: OpLike = SUM): Request<T | undefined> {
    const fold = toOp(op, 'iexscan').fold;
    const rank = this.rank;
    return iallgatherValues(native(), this.#h(), rank, this.size, obj, (all) => {
      const prefix = all.slice(0, rank);
      return prefix.length === 0 ? undefined : prefix.reduce((a, b) => fold(a, b));
    }) as Request<T | undefined>;
  }

  // ---- buffers, point to point ------------------------------------------

  Send(buf: BufferView, dest: number, tag = 0): void {
    native().send(this.#h(), buf, dest, tag);
  }

  Recv(buf: BufferView, source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): void {
    native().recv(this.#h(), buf, source, tag);
    status?.fill(statusRecord);
  }

  Sendrecv(
    sendbuf: BufferView,
    dest: number,
    sendtag: number,
    recvbuf: BufferView,
    source: number = ANY_SOURCE,
    recvtag: number = ANY_TAG,
    status?: Status,
  ): void {
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

  /** MPI_Reduce; recvbuf only at the root. Ops: the built-ins, MAXLOC/MINLOC on PairBuffers, Op.create. */
  Reduce(sendbuf: ReduceSend, recvbuf: ReduceBuffer | null | undefined, op: Op = SUM, root = 0): void {
    const r = reduction(sendbuf, recvbuf, op, 'Reduce');
    native().reduce(this.#h(), r.send, r.recv, r.op, this.#root(root, 'Reduce'), r.pair);
    op.throwFailure('Reduce');
  }

  Allreduce(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): void {
    const r = reduction(sendbuf, recvbuf, op, 'Allreduce');
    native().allreduce(this.#h(), r.send, r.recv as BufferView, r.op, r.pair);
    op.throwFailure('Allreduce');
  }

  Scan(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): void {
    const r = reduction(sendbuf, recvbuf, op, 'Scan');
    native().scan(this.#h(), r.send, r.recv as BufferView, r.op, r.pair);
    op.throwFailure('Scan');
  }

  Exscan(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): void {
    const r = reduction(sendbuf, recvbuf, op, 'Exscan');
    native().exscan(this.#h(), r.send, r.recv as BufferView, r.op, r.pair);
    op.throwFailure('Exscan');
  }

  /**
   * MPI_Reduce_scatter: the reduction of every rank's sendbuf, scattered in
   * blocks of counts[i] elements (default: as even as possible). In place,
   * recvbuf holds the whole input and the result lands at its start.
   */
  Reduce_scatter(sendbuf: ReduceSend, recvbuf: ReduceBuffer, counts?: ArrayLike<number>, op: Op = SUM): void {
    const [r, c] = this.#reduceScatter(sendbuf, recvbuf, counts, op, 'Reduce_scatter');
    native().reduceScatter(this.#h(), r.send, r.recv as BufferView, c, r.op, r.pair);
    op.throwFailure('Reduce_scatter');
  }

  /** MPI_Reduce_scatter_block: every rank gets recvbuf's length of the reduction; sendbuf holds size times that. */
  Reduce_scatter_block(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): void {
    const r = reduction(sendbuf, recvbuf, op, 'Reduce_scatter_block');
    native().reduceScatterBlock(this.#h(), r.send, r.recv as BufferView, r.op, r.pair);
    op.throwFailure('Reduce_scatter_block');
  }

  #reduceScatter(
    sendbuf: ReduceSend,
    recvbuf: ReduceBuffer,
    counts: ArrayLike<number> | undefined,
    op: Op,
    where: string,
  ): [ReturnType<typeof reduction>, Int32Array] {
    const r = reduction(sendbuf, recvbuf, op, where);
    const input = sendbuf === IN_PLACE ? recvbuf : sendbuf;
    const c = counts === undefined ? evenCounts(elements(input), this.size) : int32s(counts, `${where}: counts`);
    return [r, c];
  }

  #rootInPlace(buf: SendBuffer, root: number, where: string, name = 'sendbuf'): BufferView | null {
    if (buf !== IN_PLACE) return buf;
    if (this.rank !== root)
      throw new TypeError(`${where}: IN_PLACE as ${name} is only valid at the root (rank ${root})`);
    return null;
  }

  Gather(sendbuf: SendBuffer, recvbuf: BufferView | null | undefined, root = 0): void {
    this.#root(root, 'Gather');
    native().gather(this.#h(), this.#rootInPlace(sendbuf, root, 'Gather'), recvbuf ?? null, root);
  }

  /** recvbuf IN_PLACE at the root: its own block stays in sendbuf. */
  Scatter(sendbuf: BufferView | null | undefined, recvbuf: BufferView | typeof IN_PLACE, root = 0): void {
    this.#root(root, 'Scatter');
    native().scatter(this.#h(), sendbuf ?? null, this.#rootInPlace(recvbuf, root, 'Scatter', 'recvbuf'), root);
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

  /** recvbuf IN_PLACE at the root: its own block stays in sendbuf. */
  Scatterv(send: VectorSpec | null | undefined, recvbuf: BufferView | typeof IN_PLACE, root = 0): void {
    this.#root(root, 'Scatterv');
    const recv = this.#rootInPlace(recvbuf, root, 'Scatterv', 'recvbuf');
    if (this.rank !== root) {
      native().scatterv(this.#h(), null, null, null, recv, root);
      return;
    }
    const s = vector(send, this.size, 'Scatterv');
    native().scatterv(this.#h(), s.buf, s.counts, s.displs, recv, root);
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

  /**
   * MPI_Alltoallw with one view per peer: sendbufs[j] goes to rank j and
   * recvbufs[i] receives from rank i, each block with its own length and
   * element type (matching the peer's), no copy.
   */
  Alltoallw(sendbufs: BufferView[], recvbufs: BufferView[]): void {
    native().alltoallw(this.#h(), sendbufs, recvbufs);
  }

  // ---- buffers, nonblocking collectives -----------------------------------
  // The blocking forms' arguments; each returns a Request that keeps the
  // buffers alive until it completes. MPI cannot cancel these.

  /** MPI_Ibarrier (the same as ibarrier()). */
  Ibarrier(): Request<void> {
    return this.ibarrier();
  }

  Ibcast(buf: BufferView, root = 0): Request<void> {
    return collective(native().ibcast(this.#h(), buf, this.#root(root, 'Ibcast')));
  }

  Ireduce(sendbuf: ReduceSend, recvbuf: ReduceBuffer | null | undefined, op: Op = SUM, root = 0): Request<void> {
    const r = reduction(sendbuf, recvbuf, op, 'Ireduce');
    return collective(
      native().ireduce(this.#h(), r.send, r.recv, r.op, this.#root(root, 'Ireduce'), r.pair),
      op,
      'Ireduce',
    );
  }

  Iallreduce(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): Request<void> {
    const r = reduction(sendbuf, recvbuf, op, 'Iallreduce');
    return collective(native().iallreduce(this.#h(), r.send, r.recv as BufferView, r.op, r.pair), op, 'Iallreduce');
  }

  Iscan(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): Request<void> {
    const r = reduction(sendbuf, recvbuf, op, 'Iscan');
    return collective(native().iscan(this.#h(), r.send, r.recv as BufferView, r.op, r.pair), op, 'Iscan');
  }

  Iexscan(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): Request<void> {
    const r = reduction(sendbuf, recvbuf, op, 'Iexscan');
    return collective(native().iexscan(this.#h(), r.send, r.recv as BufferView, r.op, r.pair), op, 'Iexscan');
  }

  Ireduce_scatter(sendbuf: ReduceSend, recvbuf: ReduceBuffer, counts?: ArrayLike<number>, op: Op = SUM): Request<void> {
    const [r, c] = this.#reduceScatter(sendbuf, recvbuf, counts, op, 'Ireduce_scatter');
    return collective(
      native().ireduceScatter(this.#h(), r.send, r.recv as BufferView, c, r.op, r.pair),
      op,
      'Ireduce_scatter',
    );
  }

  Ireduce_scatter_block(sendbuf: ReduceSend, recvbuf: ReduceBuffer, op: Op = SUM): Request<void> {
    const r = reduction(sendbuf, recvbuf, op, 'Ireduce_scatter_block');
    return collective(
      native().ireduceScatterBlock(this.#h(), r.send, r.recv as BufferView, r.op, r.pair),
      op,
      'Ireduce_scatter_block',
    );
  }

  Igather(sendbuf: SendBuffer, recvbuf: BufferView | null | undefined, root = 0): Request<void> {
    this.#root(root, 'Igather');
    return collective(native().igather(this.#h(), this.#rootInPlace(sendbuf, root, 'Igather'), recvbuf ?? null, root));
  }

  Iscatter(sendbuf: BufferView | null | undefined, recvbuf: BufferView | typeof IN_PLACE, root = 0): Request<void> {
    this.#root(root, 'Iscatter');
    const recv = this.#rootInPlace(recvbuf, root, 'Iscatter', 'recvbuf');
    return collective(native().iscatter(this.#h(), sendbuf ?? null, recv, root));
  }

  Iallgather(sendbuf: SendBuffer, recvbuf: BufferView): Request<void> {
    return collective(native().iallgather(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, recvbuf));
  }

  Ialltoall(sendbuf: SendBuffer, recvbuf: BufferView): Request<void> {
    return collective(native().ialltoall(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, recvbuf));
  }

  Igatherv(sendbuf: SendBuffer, recv: VectorSpec | null | undefined, root = 0): Request<void> {
    this.#root(root, 'Igatherv');
    const send = this.#rootInPlace(sendbuf, root, 'Igatherv');
    if (this.rank !== root) return collective(native().igatherv(this.#h(), send, null, null, null, root));
    const r = vector(recv, this.size, 'Igatherv');
    return collective(native().igatherv(this.#h(), send, r.buf, r.counts, r.displs, root));
  }

  Iscatterv(send: VectorSpec | null | undefined, recvbuf: BufferView | typeof IN_PLACE, root = 0): Request<void> {
    this.#root(root, 'Iscatterv');
    const recv = this.#rootInPlace(recvbuf, root, 'Iscatterv', 'recvbuf');
    if (this.rank !== root) return collective(native().iscatterv(this.#h(), null, null, null, recv, root));
    const s = vector(send, this.size, 'Iscatterv');
    return collective(native().iscatterv(this.#h(), s.buf, s.counts, s.displs, recv, root));
  }

  Iallgatherv(sendbuf: SendBuffer, recv: VectorSpec): Request<void> {
    const r = vector(recv, this.size, 'Iallgatherv');
    return collective(
      native().iallgatherv(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, r.buf, r.counts, r.displs),
    );
  }

  Ialltoallv(send: VectorSpec | typeof IN_PLACE, recv: VectorSpec): Request<void> {
    const r = vector(recv, this.size, 'Ialltoallv');
    if (send === IN_PLACE) {
      return collective(native().ialltoallv(this.#h(), null, null, null, r.buf, r.counts, r.displs));
    }
    const s = vector(send, this.size, 'Ialltoallv');
    return collective(native().ialltoallv(this.#h(), s.buf, s.counts, s.displs, r.buf, r.counts, r.displs));
  }

  Ialltoallw(sendbufs: BufferView[], recvbufs: BufferView[]): Request<void> {
    return collective(native().ialltoallw(this.#h(), sendbufs, recvbufs));
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
    if (this.handle !== this.#handle) throw new Error("free: the event loop's communicator cannot be freed");
    if (this.#handle <= 1) {
      throw new Error(
        this.#handle < 0 ? 'free: the communicator is already null' : 'free: COMM_WORLD and COMM_SELF cannot be freed',
      );
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
