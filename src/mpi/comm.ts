// mpi4py's Comm: lowercase methods carry any JavaScript value (through the
// codec), Capitalized methods carry typed buffers with no copy. A buffer is a
// view or a buffer spec [buf, (count | [count, displacement],) datatype],
// parsed natively.
import type { BufferSpec, BufferView } from '../native/addon';
import { addon, available, native, statusRecord } from './environment';
import { Group, handleOf } from './group';
import { type Info, infoHandle, type InfoLike, infoPairs } from './info';
import {
  interAllgather,
  interAlltoall,
  interBcast,
  interGather,
  interScatter,
  type InterRole,
} from './intercomm-values';
import { allgatherValues, alltoallValues, bcastValue, gatherValues, scatterValues } from './object-collectives';
import {
  iallgatherValues,
  ialltoallValues,
  ibcastValue,
  igatherValues,
  iscatterValues,
} from './object-nonblocking-collectives';
import { irecvValue, isendValue, recvValue, sendrecvValue, sendValue } from './object-p2p';
import { matchedMessage, type Message } from './message';
import { BUFFERED, isendValueInMode, READY, sendValueInMode, SYNCHRONOUS } from './object-send-modes';
import { bytesOf, Op, pairCode, SUM, toBufferOp, toOp, type ReduceFunction } from './op';
import { PairBuffer } from './pair-buffer';
import { Prequest } from './prequest';
import { Next, Request } from './request';
import { Status } from './status';
import type { CartComm, DistGraphComm, GraphComm } from './topology';

const C = addon().constants;
export const ANY_SOURCE: number = C.ANY_SOURCE;
export const ANY_TAG: number = C.ANY_TAG;
export const PROC_NULL: number = C.PROC_NULL;
export const UNDEFINED: number = C.UNDEFINED;
/** The root of a rooted collective on an intercommunicator passes ROOT (the rest of its group PROC_NULL). */
export const ROOT: number = C.ROOT;
/** splitType(COMM_TYPE_SHARED): one communicator per shared-memory node. */
export const COMM_TYPE_SHARED: number = C.COMM_TYPE_SHARED;
/** Comm.topology values: what kind of process topology a communicator has. */
export const CART: number = C.CART;
export const GRAPH: number = C.GRAPH;
export const DIST_GRAPH: number = C.DIST_GRAPH;

/**
 * Makers of the topology communicators (src/mpi/topology.ts registers
 * them; the classes extend Comm, so this module cannot import them).
 * @internal
 */
export const topologyKinds: {
  cart?: (handle: number) => CartComm;
  graph?: (handle: number) => GraphComm;
  distGraph?: (handle: number) => DistGraphComm;
} = {};

/** A topology communicator of the given kind; a null one (isNull) for handle -1. */
function made<T>(make: ((handle: number) => T) | undefined, handle: number): T {
  if (!make) throw new Error('the topology classes are not loaded (import them from the package entry)');
  return make(handle);
}

/** Per dimension of a Cartesian grid, whether it wraps around (true or 1). */
export type Periods = ArrayLike<boolean | number>;
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
/** Scatter(v)'s receive buffer: IN_PLACE at an intracommunicator's root, null where nothing is received. */
type ScatterRecv = BufferView | typeof IN_PLACE | null | undefined;
/** A vector-collective buffer spec: [buffer, counts, displacements?] (counts and displacements in elements). */
export type VectorSpec = [ArrayBufferView, ArrayLike<number>, ArrayLike<number>?];
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
  if (Array.isArray(b)) {
    // A buffer spec: its count, or as many items of its datatype as fit.
    const spec = b as BufferSpec;
    if (spec.length === 3) return typeof spec[1] === 'number' ? spec[1] : spec[1][0];
    const size = (spec[1] as { size?: number }).size ?? 1;
    return Math.floor(spec[0].byteLength / size);
  }
  const view = b as ArrayBufferView;
  return (view as { length?: number }).length ?? view.byteLength;
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
  if (recv && ArrayBuffer.isView(b) && ArrayBuffer.isView(recv) && b.buffer === recv.buffer) {
    if (b.byteOffset === recv.byteOffset && b.byteLength === recv.byteLength) return null;
    const overlap = b.byteOffset < recv.byteOffset + recv.byteLength && recv.byteOffset < b.byteOffset + b.byteLength;
    if (overlap)
      throw new RangeError(`${where}: sendbuf and recvbuf overlap; pass IN_PLACE as sendbuf to reduce in place`);
  }
  return b;
}

/** @internal */
export function int32s(a: ArrayLike<number>, what: string): Int32Array {
  if (a instanceof Int32Array) return a;
  if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
    throw new TypeError(`${what} must be an array of integers`);
  }
  return Int32Array.from(a);
}

/** @internal */
export function vector(
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

/** A single typed buffer (an array of views is the value layer's, never a user's buffer). */
/** A view or a buffer spec ([buf, (count,) datatype], checked in full natively); not message parts. */
function view(buf: BufferView, where: string): BufferView {
  if (ArrayBuffer.isView(buf)) return buf;
  if (Array.isArray(buf) && ArrayBuffer.isView(buf[0]) && !ArrayBuffer.isView(buf[buf.length - 1])) return buf;
  const got = Array.isArray(buf) ? 'an Array' : typeof buf;
  throw new TypeError(
    `${where}: buf must be an ArrayBufferView (TypedArray, Buffer or DataView) or a buffer spec, got ${got}`,
  );
}

const STANDARD = 0;

export class Comm {
  #handle: number;
  #rank = -1;
  #size = -1;
  #remoteSize: number | undefined;

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
    if (this.isInter) {
      if (root === ROOT || root === PROC_NULL || (Number.isInteger(root) && root >= 0 && root < this.remoteSize))
        return root;
      throw new RangeError(
        `${where}: on an intercommunicator, root must be ROOT (${ROOT}) at the root, PROC_NULL (${PROC_NULL}) ` +
          `at the rest of its group, or the root's rank in the remote group (0..${this.remoteSize - 1}); got ${root}`,
      );
    }
    if (!Number.isInteger(root) || root < 0 || root >= this.size) {
      throw new RangeError(`${where}: root ${root} is out of range for a communicator of size ${this.size}`);
    }
    return root;
  }

  /** Whether this rank is the one that receives (gather) or sends (scatter) at `root`. */
  #isRoot(root: number): boolean {
    return this.isInter ? root === ROOT : this.rank === root;
  }

  #interRole(root: number, where: string): InterRole {
    this.#root(root, where);
    return root === ROOT ? 'root' : root === PROC_NULL ? 'none' : 'member';
  }

  /** How many blocks a collective exchanges: the size, or the remote size of an intercommunicator. */
  #peers(): number {
    return this.isInter ? this.remoteSize : this.size;
  }

  #noInter(where: string, why = 'is not defined on an intercommunicator'): void {
    if (this.isInter) throw new Error(`${where} ${why}`);
  }

  /** The value forms of the nonblocking collectives serve intracommunicators only. */
  #noInterValues(where: string): void {
    this.#noInter(where, `of values is not available on an intercommunicator (the blocking ${where.slice(1)} is)`);
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
    if (this.isInter) return interBcast(native(), this.#h(), this.#interRole(root, 'bcast'), obj, root) as T;
    return bcastValue(native(), this.#h(), this.rank, obj, this.#root(root, 'bcast')) as T;
  }

  gather<T>(obj: T, root = 0): T[] | undefined {
    if (this.isInter) {
      const role = this.#interRole(root, 'gather');
      return interGather(native(), this.#h(), role, this.remoteSize, obj, root) as T[] | undefined;
    }
    return gatherValues(native(), this.#h(), this.rank, this.size, obj, this.#root(root, 'gather')) as T[] | undefined;
  }

  scatter<T>(objs: T[] | undefined, root = 0): T {
    const h = this.#h();
    this.#root(root, 'scatter');
    if (this.#isRoot(root) && (!Array.isArray(objs) || objs.length !== this.#peers())) {
      throw new TypeError(`scatter: at the root, objs must be an array of ${this.#peers()} values (one per rank)`);
    }
    if (this.isInter) return interScatter(native(), h, this.#interRole(root, 'scatter'), objs, root) as T;
    return scatterValues(native(), h, this.rank, this.size, objs, root) as T;
  }

  allgather<T>(obj: T): T[] {
    if (this.isInter) return interAllgather(native(), this.#h(), this.remoteSize, obj) as T[];
    return allgatherValues(native(), this.#h(), this.size, obj, 'allgather') as T[];
  }

  alltoall<T>(objs: T[]): T[] {
    const h = this.#h();
    if (!Array.isArray(objs) || objs.length !== this.#peers()) {
      throw new TypeError(`alltoall: objs must be an array of ${this.#peers()} values (one per rank)`);
    }
    if (this.isInter) return interAlltoall(native(), h, this.remoteSize, objs) as T[];
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
    this.#noInter('scan');
    return this.allgather(obj)
      .slice(0, this.rank + 1)
      .reduce((a, b) => fold(a, b) as T);
  }

  /** Exclusive prefix reduction: rank r gets op over ranks 0..r-1; undefined on rank 0. */
  exscan<T = unknown>(obj: T, op: OpLike = SUM): T | undefined {
    const fold = toOp(op, 'exscan').fold;
    this.#noInter('exscan');
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
    this.#noInterValues('ibcast');
    return ibcastValue(native(), this.#h(), this.rank, this.size, obj, this.#root(root, 'ibcast'));
  }

  /** The list on the root, undefined elsewhere. */
  igather<T>(obj: T, root = 0): Request<T[] | undefined> {
    this.#noInterValues('igather');
    const h = this.#h();
    return igatherValues(native(), h, this.rank, this.size, obj, this.#root(root, 'igather'), (v) => v as T[]);
  }

  iscatter<T>(objs: T[] | undefined, root = 0): Request<T> {
    this.#noInterValues('iscatter');
    const h = this.#h();
    this.#root(root, 'iscatter');
    if (this.rank === root && (!Array.isArray(objs) || objs.length !== this.size)) {
      throw new TypeError(`iscatter: at the root, objs must be an array of ${this.size} values (one per rank)`);
    }
    return iscatterValues<T>(native(), h, this.rank, this.size, objs, root);
  }

  iallgather<T>(obj: T): Request<T[]> {
    this.#noInterValues('iallgather');
    return iallgatherValues(native(), this.#h(), this.rank, this.size, obj, (v) => v as T[]);
  }

  ialltoall<T>(objs: T[]): Request<T[]> {
    this.#noInterValues('ialltoall');
    const h = this.#h();
    if (!Array.isArray(objs) || objs.length !== this.size) {
      throw new TypeError(`ialltoall: objs must be an array of ${this.size} values (one per rank)`);
    }
    return ialltoallValues(native(), h, this.rank, this.size, objs, (v) => v as T[]);
  }

  /** The reduction on the root (undefined elsewhere), folded in rank order. */
  ireduce<T = unknown>(obj: T, op: OpLike = SUM, root = 0): Request<T | undefined> {
    this.#noInterValues('ireduce');
    const fold = toOp(op, 'ireduce').fold;
    const h = this.#h();
    return igatherValues(native(), h, this.rank, this.size, obj, this.#root(root, 'ireduce'), (all) =>
      all.reduce((a, b) => fold(a, b)),
    ) as Request<T | undefined>;
  }

  iallreduce<T = unknown>(obj: T, op: OpLike = SUM): Request<T> {
    this.#noInterValues('iallreduce');
    const fold = toOp(op, 'iallreduce').fold;
    return iallgatherValues(native(), this.#h(), this.rank, this.size, obj, (all) =>
      all.reduce((a, b) => fold(a, b)),
    ) as Request<T>;
  }

  /** Inclusive prefix reduction: rank r gets op over ranks 0..r. */
  iscan<T = unknown>(obj: T, op: OpLike = SUM): Request<T> {
    this.#noInter('iscan');
    const fold = toOp(op, 'iscan').fold;
    const rank = this.rank;
    return iallgatherValues(native(), this.#h(), rank, this.size, obj, (all) =>
      all.slice(0, rank + 1).reduce((a, b) => fold(a, b)),
    ) as Request<T>;
  }

  /** Exclusive prefix reduction: undefined on rank 0. */
  iexscan<T = unknown>(obj: T, op: OpLike = SUM): Request<T | undefined> {
    this.#noInter('iexscan');
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

  // ---- send modes, persistent requests, matched probes -------------------

  /** MPI_Ssend of a value: returns once the matching receive has started. */
  ssend(obj: unknown, dest: number, tag = 0): void {
    sendValueInMode(this.#h(), obj, dest, tag, SYNCHRONOUS);
  }

  /** MPI_Bsend of a value: copied into the attached buffer (attachBuffer), returns at once. */
  bsend(obj: unknown, dest: number, tag = 0): void {
    sendValueInMode(this.#h(), obj, dest, tag, BUFFERED);
  }

  /** MPI_Rsend of a value: the matching receive (an irecv) must already be posted. */
  rsend(obj: unknown, dest: number, tag = 0): void {
    sendValueInMode(this.#h(), obj, dest, tag, READY);
  }

  /** MPI_Issend of a value: completes once the matching receive has started. */
  issend(obj: unknown, dest: number, tag = 0): Request<void> {
    return isendValueInMode(this.#h(), obj, dest, tag, SYNCHRONOUS);
  }

  /** MPI_Ibsend of a value (into the attached buffer). */
  ibsend(obj: unknown, dest: number, tag = 0): Request<void> {
    return isendValueInMode(this.#h(), obj, dest, tag, BUFFERED);
  }

  /** MPI_Irsend of a value: the matching receive must already be posted. */
  irsend(obj: unknown, dest: number, tag = 0): Request<void> {
    return isendValueInMode(this.#h(), obj, dest, tag, READY);
  }

  Ssend(buf: BufferView, dest: number, tag = 0): void {
    native().sendInMode(this.#h(), view(buf, 'Ssend'), dest, tag, SYNCHRONOUS);
  }

  Bsend(buf: BufferView, dest: number, tag = 0): void {
    native().sendInMode(this.#h(), view(buf, 'Bsend'), dest, tag, BUFFERED);
  }

  Rsend(buf: BufferView, dest: number, tag = 0): void {
    native().sendInMode(this.#h(), view(buf, 'Rsend'), dest, tag, READY);
  }

  Issend(buf: BufferView, dest: number, tag = 0): Request<void> {
    return new Request<void>(
      native().isendInMode(this.#h(), view(buf, 'Issend'), dest, tag, SYNCHRONOUS),
      () => undefined,
    );
  }

  Ibsend(buf: BufferView, dest: number, tag = 0): Request<void> {
    return new Request<void>(
      native().isendInMode(this.#h(), view(buf, 'Ibsend'), dest, tag, BUFFERED),
      () => undefined,
    );
  }

  Irsend(buf: BufferView, dest: number, tag = 0): Request<void> {
    return new Request<void>(native().isendInMode(this.#h(), view(buf, 'Irsend'), dest, tag, READY), () => undefined);
  }

  /** MPI_Sendrecv_replace: sends buf, then receives into the same buf. */
  Sendrecv_replace(
    buf: BufferView,
    dest: number,
    sendtag = 0,
    source: number = ANY_SOURCE,
    recvtag: number = ANY_TAG,
    status?: Status,
  ): void {
    native().sendrecvReplace(this.#h(), buf, dest, sendtag, source, recvtag);
    status?.fill(statusRecord);
  }

  /** MPI_Send_init: a persistent standard send of buf (start() it, as often as needed). */
  Send_init(buf: BufferView, dest: number, tag = 0): Prequest {
    return new Prequest(native().sendInit(this.#h(), buf, dest, tag, STANDARD));
  }

  Ssend_init(buf: BufferView, dest: number, tag = 0): Prequest {
    return new Prequest(native().sendInit(this.#h(), buf, dest, tag, SYNCHRONOUS));
  }

  Bsend_init(buf: BufferView, dest: number, tag = 0): Prequest {
    return new Prequest(native().sendInit(this.#h(), buf, dest, tag, BUFFERED));
  }

  Rsend_init(buf: BufferView, dest: number, tag = 0): Prequest {
    return new Prequest(native().sendInit(this.#h(), buf, dest, tag, READY));
  }

  /** MPI_Recv_init: a persistent receive into buf. */
  Recv_init(buf: BufferView, source: number = ANY_SOURCE, tag: number = ANY_TAG): Prequest {
    return new Prequest(native().recvInit(this.#h(), buf, source, tag), source);
  }

  /** MPI_Mprobe: waits for a matching message and takes it (no other receive can); receive it with the Message. */
  mprobe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): Message {
    const h = this.#h();
    const id = native().mprobe(h, source, tag);
    status?.fill(statusRecord);
    return matchedMessage(h, id);
  }

  /** MPI_Improbe: the matching message, or undefined when none has arrived. Never blocks. */
  improbe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): Message | undefined {
    const h = this.#h();
    const id = native().improbe(h, source, tag);
    if (id === null) return undefined;
    status?.fill(statusRecord);
    return matchedMessage(h, id);
  }

  /** MPI_Mprobe for a buffer message (the same Message; receive it with Recv or Irecv). */
  Mprobe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): Message {
    return this.mprobe(source, tag, status);
  }

  /** MPI_Improbe for a buffer message. */
  Improbe(source: number = ANY_SOURCE, tag: number = ANY_TAG, status?: Status): Message | undefined {
    return this.improbe(source, tag, status);
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
    if (this.isInter) throw new TypeError(`${where}: IN_PLACE as ${name}: an intercommunicator has no in place`);
    if (this.rank !== root)
      throw new TypeError(`${where}: IN_PLACE as ${name} is only valid at the root (rank ${root})`);
    return null;
  }

  Gather(sendbuf: SendBuffer, recvbuf: BufferView | null | undefined, root = 0): void {
    this.#root(root, 'Gather');
    native().gather(this.#h(), this.#rootInPlace(sendbuf, root, 'Gather'), recvbuf ?? null, root);
  }

  /**
   * recvbuf IN_PLACE at the root: its own block stays in sendbuf. On an
   * intercommunicator the root's group (ROOT, PROC_NULL) receives nothing:
   * recvbuf may be null there.
   */
  Scatter(sendbuf: BufferView | null | undefined, recvbuf: ScatterRecv, root = 0): void {
    this.#root(root, 'Scatter');
    native().scatter(this.#h(), sendbuf ?? null, this.#scatterRecv(recvbuf, root, 'Scatter'), root);
  }

  /** Scatter(v)'s receive buffer: IN_PLACE (the root of an intracommunicator only) or a view; null passes as is. */
  #scatterRecv(recvbuf: ScatterRecv, root: number, where: string): BufferView | null {
    if (recvbuf === IN_PLACE) return this.#rootInPlace(recvbuf, root, where, 'recvbuf');
    return recvbuf ?? null;
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
    if (!this.#isRoot(root)) {
      native().gatherv(this.#h(), send, null, null, null, root);
      return;
    }
    const r = vector(recv, this.#peers(), 'Gatherv');
    native().gatherv(this.#h(), send, r.buf, r.counts, r.displs, root);
  }

  /** recvbuf IN_PLACE at the root: its own block stays in sendbuf (see Scatter for intercommunicators). */
  Scatterv(send: VectorSpec | null | undefined, recvbuf: ScatterRecv, root = 0): void {
    this.#root(root, 'Scatterv');
    const recv = this.#scatterRecv(recvbuf, root, 'Scatterv');
    if (!this.#isRoot(root)) {
      native().scatterv(this.#h(), null, null, null, recv, root);
      return;
    }
    const s = vector(send, this.#peers(), 'Scatterv');
    native().scatterv(this.#h(), s.buf, s.counts, s.displs, recv, root);
  }

  Allgatherv(sendbuf: SendBuffer, recv: VectorSpec): void {
    const r = vector(recv, this.#peers(), 'Allgatherv');
    native().allgatherv(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, r.buf, r.counts, r.displs);
  }

  /** With send IN_PLACE, each rank's outgoing blocks are taken from recv's layout and replaced by the incoming ones. */
  Alltoallv(send: VectorSpec | typeof IN_PLACE, recv: VectorSpec): void {
    const r = vector(recv, this.#peers(), 'Alltoallv');
    if (send === IN_PLACE) {
      native().alltoallv(this.#h(), null, null, null, r.buf, r.counts, r.displs);
      return;
    }
    const s = vector(send, this.#peers(), 'Alltoallv');
    native().alltoallv(this.#h(), s.buf, s.counts, s.displs, r.buf, r.counts, r.displs);
  }

  // ---- groups and communicator management -------------------------------

  /** The group of the communicator (MPI_Comm_group; the local group of an intercommunicator). */
  get group(): Group {
    return this.getGroup();
  }

  getGroup(): Group {
    return new Group(native().commGroup(this.#h()));
  }

  /** IDENT (the same communicator), CONGRUENT (same group and order), SIMILAR (same members) or UNEQUAL. */
  compare(other: Comm): number {
    if (!(other instanceof Comm)) throw new TypeError('compare: other must be a Comm');
    return native().commCompare(this.#h(), other.#h());
  }

  /** MPI_Comm_create, collective over this communicator: COMM_NULL on the ranks outside `group`. */
  create(group: Group): Comm {
    return wrap(native().commCreate(this.#h(), handleOf(group, 'create: group')));
  }

  /** MPI_Comm_create_group: collective over the members of `group` only (COMM_NULL elsewhere, at once). */
  createGroup(group: Group, tag = 0): Comm {
    return wrap(native().commCreateGroup(this.#h(), handleOf(group, 'createGroup: group'), tag));
  }

  /**
   * MPI_Comm_split_type: with COMM_TYPE_SHARED, one communicator per
   * shared-memory node (the ranks on the same host); UNDEFINED gives COMM_NULL.
   */
  splitType(splitType: number, key = 0, info?: Info): Comm {
    return wrap(native().commSplitType(this.#h(), splitType, key, infoHandle(info, 'splitType')));
  }

  /** MPI_Comm_idup: the new communicator, without blocking the event loop. */
  idup(): Request<Comm> {
    const N = native();
    const first = N.commIdup(this.#h());
    // Stage 2 dups the new communicator into its shadow, also without blocking.
    return new Request<Comm>(first, () => {
      const second = N.commIdupShadow(first);
      return new Next<Comm>(second, () => new Comm(N.commIdupAdopt(second)));
    });
  }

  /** MPI_Comm_get_name / MPI_Comm_set_name (local to this process). */
  get name(): string {
    return native().commGetName(this.#h());
  }

  set name(name: string) {
    native().commSetName(this.#h(), name);
  }

  // ---- intercommunicators -------------------------------------------------

  get isInter(): boolean {
    return this.remoteSize >= 0;
  }

  /** The size of the remote group of an intercommunicator (-1 for an intracommunicator). */
  get remoteSize(): number {
    if (this.#remoteSize === undefined) this.#remoteSize = native().commRemoteSize(this.#h());
    return this.#remoteSize;
  }

  get remoteGroup(): Group {
    return new Group(native().commRemoteGroup(this.#h()));
  }

  /**
   * MPI_Intercomm_create: joins this communicator's group (leader
   * `localLeader`) to another group whose leader is `remoteLeader` in
   * `peerComm` (peerComm and remoteLeader are read at the local leader only).
   */
  createIntercomm(localLeader: number, peerComm: Comm, remoteLeader: number, tag = 0): Comm {
    const peer = this.rank === localLeader ? peerComm.#h() : -1;
    return new Comm(native().intercommCreate(this.#h(), localLeader, peer, remoteLeader, tag));
  }

  /** MPI_Intercomm_merge: one intracommunicator of both groups, the group passing `high` false first. */
  merge(high = false): Comm {
    return new Comm(native().intercommMerge(this.#h(), high));
  }

  /**
   * MPI_Comm_spawn, collective over this communicator: starts `maxprocs`
   * copies of `command args` and returns the intercommunicator to them
   * (they reach it with Comm.getParent()). command, args and info are read
   * at `root` only.
   */
  Spawn(command: string, args: string[] = [], maxprocs = 1, info?: InfoLike, root = 0): Comm {
    if (!available) throw new Error('Spawn: no MPI library is loaded, so processes cannot be spawned');
    const h = this.#h();
    this.#root(root, 'Spawn');
    if (this.rank === root) {
      if (typeof command !== 'string') throw new TypeError('Spawn: command must be a string');
      if (!Number.isInteger(maxprocs) || maxprocs < 1)
        throw new RangeError(`Spawn: maxprocs must be a positive integer, got ${maxprocs}`);
    }
    return new Comm(native().commSpawnInter(h, root, command, args, maxprocs, infoPairs(info, 'Spawn')));
  }

  /** In a spawned process: the intercommunicator to the parents (the same Comm every call); COMM_NULL elsewhere. */
  static getParent(): Comm {
    if (!available) return COMM_NULL;
    const handle = native().commGetParentInter();
    if (handle < 0) return COMM_NULL;
    if (parent?.handle !== handle) parent = new Comm(handle);
    return parent;
  }

  // ---- topologies -----------------------------------------------------------

  /** CART, GRAPH, DIST_GRAPH, or UNDEFINED for a communicator with no topology. */
  get topology(): number {
    return native().topoTest(this.#h());
  }

  /**
   * MPI_Cart_create: a Cartesian grid of `dims` (periodic where `periods`
   * says so; not periodic by default) over the first prod(dims) ranks (a
   * null CartComm, isNull, on the rest). `reorder` lets MPI renumber the ranks.
   */
  createCart(dims: ArrayLike<number>, periods?: Periods, reorder = false): CartComm {
    const d = int32s(dims, 'createCart: dims');
    const p = new Int32Array(d.length);
    if (periods !== undefined) {
      if (periods.length !== d.length)
        throw new RangeError(`createCart: periods has ${periods.length} entries, dims has ${d.length}`);
      for (let i = 0; i < d.length; i++) p[i] = periods[i] ? 1 : 0;
    }
    return made(topologyKinds.cart, native().cartCreate(this.#h(), d, p, Boolean(reorder)));
  }

  /**
   * MPI_Graph_create: node i's neighbours are edges[index[i-1] .. index[i]-1]
   * (index[-1] = 0); a null GraphComm (isNull) on the ranks beyond index.length.
   */
  createGraph(index: ArrayLike<number>, edges: ArrayLike<number>, reorder = false): GraphComm {
    const i = int32s(index, 'createGraph: index');
    const e = int32s(edges, 'createGraph: edges');
    return made(topologyKinds.graph, native().graphCreate(this.#h(), i, e, Boolean(reorder)));
  }

  /**
   * MPI_Dist_graph_create_adjacent: this rank receives from `sources` and
   * sends to `destinations` (the neighbourhood collectives' order).
   */
  createDistGraphAdjacent(
    sources: ArrayLike<number>,
    destinations: ArrayLike<number>,
    options: {
      sourceWeights?: ArrayLike<number>;
      destWeights?: ArrayLike<number>;
      info?: Info;
      reorder?: boolean;
    } = {},
  ): DistGraphComm {
    const handle = native().distGraphCreateAdjacent(
      this.#h(),
      int32s(sources, 'createDistGraphAdjacent: sources'),
      options.sourceWeights ? int32s(options.sourceWeights, 'createDistGraphAdjacent: sourceWeights') : null,
      int32s(destinations, 'createDistGraphAdjacent: destinations'),
      options.destWeights ? int32s(options.destWeights, 'createDistGraphAdjacent: destWeights') : null,
      infoHandle(options.info, 'createDistGraphAdjacent'),
      Boolean(options.reorder),
    );
    return made(topologyKinds.distGraph, handle);
  }

  /**
   * MPI_Dist_graph_create: this rank declares, for each of `sources`,
   * `degrees[i]` edges from it to the next entries of `destinations`
   * (any rank may declare any edge).
   */
  createDistGraph(
    sources: ArrayLike<number>,
    degrees: ArrayLike<number>,
    destinations: ArrayLike<number>,
    options: { weights?: ArrayLike<number>; info?: Info; reorder?: boolean } = {},
  ): DistGraphComm {
    const handle = native().distGraphCreate(
      this.#h(),
      int32s(sources, 'createDistGraph: sources'),
      int32s(degrees, 'createDistGraph: degrees'),
      int32s(destinations, 'createDistGraph: destinations'),
      options.weights ? int32s(options.weights, 'createDistGraph: weights') : null,
      infoHandle(options.info, 'createDistGraph'),
      Boolean(options.reorder),
    );
    return made(topologyKinds.distGraph, handle);
  }

  /**
   * MPI_Alltoallw with one view per peer: sendbufs[j] goes to rank j and
   * recvbufs[i] receives from rank i, each block with its own length and
   * element type (matching the peer's), no copy. On an intercommunicator the
   * peers are the remote group's ranks.
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

  Iscatter(sendbuf: BufferView | null | undefined, recvbuf: ScatterRecv, root = 0): Request<void> {
    this.#root(root, 'Iscatter');
    const recv = this.#scatterRecv(recvbuf, root, 'Iscatter');
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
    if (!this.#isRoot(root)) return collective(native().igatherv(this.#h(), send, null, null, null, root));
    const r = vector(recv, this.#peers(), 'Igatherv');
    return collective(native().igatherv(this.#h(), send, r.buf, r.counts, r.displs, root));
  }

  Iscatterv(send: VectorSpec | null | undefined, recvbuf: ScatterRecv, root = 0): Request<void> {
    this.#root(root, 'Iscatterv');
    const recv = this.#scatterRecv(recvbuf, root, 'Iscatterv');
    if (!this.#isRoot(root)) return collective(native().iscatterv(this.#h(), null, null, null, recv, root));
    const s = vector(send, this.#peers(), 'Iscatterv');
    return collective(native().iscatterv(this.#h(), s.buf, s.counts, s.displs, recv, root));
  }

  Iallgatherv(sendbuf: SendBuffer, recv: VectorSpec): Request<void> {
    const r = vector(recv, this.#peers(), 'Iallgatherv');
    return collective(
      native().iallgatherv(this.#h(), sendbuf === IN_PLACE ? null : sendbuf, r.buf, r.counts, r.displs),
    );
  }

  Ialltoallv(send: VectorSpec | typeof IN_PLACE, recv: VectorSpec): Request<void> {
    const r = vector(recv, this.#peers(), 'Ialltoallv');
    if (send === IN_PLACE) {
      return collective(native().ialltoallv(this.#h(), null, null, null, r.buf, r.counts, r.displs));
    }
    const s = vector(send, this.#peers(), 'Ialltoallv');
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

/** A new handle as a Comm, COMM_NULL for -1. */
function wrap(handle: number): Comm {
  return handle < 0 ? COMM_NULL : new Comm(handle);
}

let parent: Comm | undefined;

export const COMM_WORLD: Comm = new Comm(0);
export const COMM_SELF: Comm = new Comm(1);
export const COMM_NULL: Comm = new Comm(-1);
