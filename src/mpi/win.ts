// mpi4py's Win: one-sided communication. Put/Get/Accumulate/... return at
// once and complete at the next synchronisation of their epoch (fence,
// unlock, unlockAll, flush*); the views they use stay referenced until then.
// The synchronisation calls are short blocking MPI calls, like the blocking
// collectives: they hold the Node event loop while they wait. Every window
// knows each rank's size, so a target region outside the target's window
// is a RangeError on the caller, before anything is sent.
import type { BufferView } from '../native/addon';
import { infoPairs, type InfoLike } from './info';
import { COMM_SELF, type Comm } from './comm';
import type { Datatype } from './datatype';
import { addon, native } from './environment';
import { SUM, toRmaOp, type Op } from './op';

const C = addon().winConstants;
/** Lock types of lock(). */
export const LOCK_EXCLUSIVE: number = C.LOCK_EXCLUSIVE;
export const LOCK_SHARED: number = C.LOCK_SHARED;
/** Assertions of fence/lock/lockAll (optimisation hints; 0 is always correct). */
export const MODE_NOCHECK: number = C.MODE_NOCHECK;
export const MODE_NOSTORE: number = C.MODE_NOSTORE;
export const MODE_NOPUT: number = C.MODE_NOPUT;
export const MODE_NOPRECEDE: number = C.MODE_NOPRECEDE;
export const MODE_NOSUCCEED: number = C.MODE_NOSUCCEED;

/** A TypedArray (or DataView) class, to view window memory with. */
export interface ViewConstructor<T extends ArrayBufferView> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT?: number;
}

/**
 * Where an operation lands in the target window: a displacement (in the
 * target's dispUnit), or mpi4py's [disp, count?, datatype?] (count and
 * datatype default to the origin's).
 */
export type Target = number | readonly [number, number?, Datatype?];

function viewOf<T extends ArrayBufferView>(
  buffer: ArrayBuffer,
  offset: number,
  bytes: number,
  K: ViewConstructor<T>,
): T {
  const unit = K.BYTES_PER_ELEMENT ?? 1;
  return new K(buffer, offset, Math.floor(bytes / unit));
}

export class Win {
  #handle: number;
  readonly comm: Comm;

  private constructor(handle: number, comm: Comm) {
    this.#handle = handle;
    this.comm = comm;
  }

  /** MPI_Win_create over `buf` (null: no local memory). Collective over comm. */
  static create(buf: ArrayBufferView | null, dispUnit = 1, info?: InfoLike | null, comm: Comm = COMM_SELF): Win {
    return new Win(native().winCreate(buf, dispUnit, infoPairs(info, 'Win.create'), comm.handle), comm);
  }

  /** MPI_Win_allocate: `size` bytes of MPI memory on this rank; see toMemory(). Collective over comm. */
  static allocate(size: number, dispUnit = 1, info?: InfoLike | null, comm: Comm = COMM_SELF): Win {
    return new Win(native().winAllocate(size, dispUnit, infoPairs(info, 'Win.allocate'), comm.handle, false), comm);
  }

  /**
   * MPI_Win_allocate_shared: memory every rank of comm (all on one node) can
   * read and write directly; see toMemory() and sharedQuery(). Collective over comm.
   */
  static allocateShared(size: number, dispUnit = 1, info?: InfoLike | null, comm: Comm = COMM_SELF): Win {
    return new Win(
      native().winAllocate(size, dispUnit, infoPairs(info, 'Win.allocateShared'), comm.handle, true),
      comm,
    );
  }

  #h(): number {
    if (this.#handle < 0) throw new Error('the window has been freed');
    return this.#handle;
  }

  /** This rank's window memory, viewed as `K` (Uint8Array by default); detached once the window is freed. */
  toMemory<T extends ArrayBufferView = Uint8Array>(K?: ViewConstructor<T>): T {
    const m = native().winMemory(this.#h());
    const ctor = (K ?? Uint8Array) as ViewConstructor<T>;
    if (m === undefined) return new ctor(new ArrayBuffer(0), 0, 0);
    if (m instanceof ArrayBuffer) return viewOf(m, 0, m.byteLength, ctor);
    return viewOf(m.buffer as ArrayBuffer, m.byteOffset, m.byteLength, ctor);
  }

  /** Another rank's segment of an allocateShared window, viewed as `K`, and its dispUnit. */
  sharedQuery<T extends ArrayBufferView = Uint8Array>(rank: number, K?: ViewConstructor<T>): [T, number] {
    const [buffer, unit] = native().winSharedQuery(this.#h(), rank);
    return [viewOf(buffer, 0, buffer.byteLength, (K ?? Uint8Array) as ViewConstructor<T>), unit];
  }

  /** Window size in bytes and dispUnit of every rank. */
  get sizes(): Array<{ size: number; dispUnit: number }> {
    const s = native().winSizes(this.#h());
    const out: Array<{ size: number; dispUnit: number }> = [];
    for (let i = 0; i < s.length; i += 2) out.push({ size: s[i], dispUnit: s[i + 1] });
    return out;
  }

  // ---- RMA operations --------------------------------------------------------

  Put(origin: BufferView, targetRank: number, target: Target = 0): void {
    const [disp, count, type] = targetSpec(target, 'Put');
    native().winPut(this.#h(), origin, targetRank, disp, count, type);
  }

  Get(origin: BufferView, targetRank: number, target: Target = 0): void {
    const [disp, count, type] = targetSpec(target, 'Get');
    native().winGet(this.#h(), origin, targetRank, disp, count, type);
  }

  Accumulate(origin: BufferView, targetRank: number, target: Target = 0, op: Op = SUM): void {
    const [disp, count, type] = targetSpec(target, 'Accumulate');
    native().winAccumulate(this.#h(), origin, targetRank, disp, count, type, toRmaOp(op, 'Accumulate'));
  }

  /** result gets the target's old contents; origin may be null with NO_OP. */
  Get_accumulate(
    origin: BufferView | null,
    result: BufferView,
    targetRank: number,
    target: Target = 0,
    op: Op = SUM,
  ): void {
    const [disp, count, type] = targetSpec(target, 'Get_accumulate');
    native().winGetAccumulate(this.#h(), origin, result, targetRank, disp, count, type, toRmaOp(op, 'Get_accumulate'));
  }

  /** One element: result gets the target's old value; origin may be null with NO_OP. */
  Fetch_and_op(origin: BufferView | null, result: BufferView, targetRank: number, targetDisp = 0, op: Op = SUM): void {
    native().winFetchAndOp(this.#h(), origin, result, targetRank, targetDisp, toRmaOp(op, 'Fetch_and_op'));
  }

  /** One element: the target becomes origin if it equals compare; result gets its old value. */
  Compare_and_swap(
    origin: BufferView,
    compare: BufferView,
    result: BufferView,
    targetRank: number,
    targetDisp = 0,
  ): void {
    native().winCompareAndSwap(this.#h(), origin, compare, result, targetRank, targetDisp);
  }

  // ---- synchronisation ---------------------------------------------------------

  /** MPI_Win_fence: collective; ends the epoch (its operations are complete) and starts the next. */
  fence(assertion = 0): void {
    native().winFence(this.#h(), assertion);
  }

  /** MPI_Win_lock: a passive-target epoch at `rank`. */
  lock(rank: number, lockType: number = LOCK_EXCLUSIVE, assertion = 0): void {
    native().winLock(this.#h(), rank, lockType, assertion);
  }

  unlock(rank: number): void {
    native().winUnlock(this.#h(), rank);
  }

  /** A shared passive-target epoch at every rank. */
  lockAll(assertion = 0): void {
    native().winLockAll(this.#h(), assertion);
  }

  unlockAll(): void {
    native().winUnlockAll(this.#h());
  }

  /** Completes the operations to `rank` at both ends, inside a passive epoch. */
  flush(rank: number): void {
    native().winFlush(this.#h(), rank);
  }

  flushAll(): void {
    native().winFlushAll(this.#h());
  }

  /** Completes the operations to `rank` locally (origin buffers reusable, Get results arrived). */
  flushLocal(rank: number): void {
    native().winFlushLocal(this.#h(), rank);
  }

  flushLocalAll(): void {
    native().winFlushLocalAll(this.#h());
  }

  /** MPI_Win_sync: orders this rank's direct loads/stores of window memory with its RMA view. */
  sync(): void {
    native().winSync(this.#h());
  }

  /** MPI_Win_free: collective. The window's memory views are detached. */
  free(): void {
    native().winFree(this.#h());
    this.#handle = -1;
  }

  [Symbol.dispose](): void {
    if (this.#handle >= 0) this.free();
  }
}

function targetSpec(target: Target, where: string): [number, number, Datatype | null] {
  if (typeof target === 'number') return [target, -1, null];
  if (!Array.isArray(target) || target.length < 1 || target.length > 3) {
    throw new TypeError(`${where}: target must be a displacement or [disp, count?, datatype?]`);
  }
  const [disp, count, type] = target as readonly [number, number?, Datatype?];
  return [disp, count ?? -1, type ?? null];
}
