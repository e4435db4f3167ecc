// The shape of the compiled addon (src/native/*.cc). The native layer moves
// bytes and request handles only: it never serialises JavaScript values and
// holds no policy. Every MPI error is thrown as a JS Error with
// `mpiErrorCode` (the MPI error code) and `mpiErrorClass` set; argument
// errors are thrown as TypeError/RangeError before any MPI call.
//
// Communicators are small integer handles (0 = COMM_WORLD, 1 = COMM_SELF);
// requests are integer ids. Status of the last receive/probe/test is written
// into the Float64Array given to `setStatusBuffer` as
// [source, tag, countBytes, error, cancelled] so hot paths allocate nothing.
// Datatypes follow from the view type: Float64Array -> MPI_DOUBLE, ...,
// DataView and Buffer/Uint8Array -> MPI_UNSIGNED_CHAR / MPI_BYTE. Counts above
// INT_MAX elements are sent with a derived datatype, so messages > 2 GiB work.

/** A Datatype as the native layer reads it (the TypeScript Datatype class). */
export interface DatatypeRef {
  readonly datatypeHandle: number;
}
/**
 * mpi4py's buffer specs: [buf, datatype], [buf, count, datatype] and
 * [buf, [count, displacement], datatype] (displacement in extents of the datatype).
 */
export type BufferSpec =
  readonly [ArrayBufferView, DatatypeRef] | readonly [ArrayBufferView, number | readonly [number, number], DatatypeRef];
/** What every Capitalized method accepts as a buffer: a view, or a buffer spec. */
export type BufferView = ArrayBufferView | BufferSpec;
/** MPI_Info as [key, value] pairs. */
export type InfoPairs = ReadonlyArray<readonly [string, string]>;

/** Built-in ops, by index: SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND, BOR, BXOR, REPLACE, NO_OP (one-sided only). */
export type OpIndex = number;

export interface NativeConstants {
  ANY_SOURCE: number;
  ANY_TAG: number;
  PROC_NULL: number;
  UNDEFINED: number;
  TAG_UB: number;
  THREAD_SINGLE: number;
  THREAD_FUNNELED: number;
  THREAD_SERIALIZED: number;
  THREAD_MULTIPLE: number;
  ERR_TRUNCATE: number;
  ERR_RANK: number;
  ERR_TAG: number;
  /** "Open MPI" or "MPICH": the implementation the addon was compiled against. */
  IMPLEMENTATION: string;
}

/** Completion callback: one call per completed request (see `poll*`). */
export type CompletionCallback = (
  requestId: number,
  source: number,
  tag: number,
  countBytes: number,
  error: number,
  /** For probe-receives: the received message. Undefined otherwise. */
  data: ArrayBuffer | undefined,
  /** 1 when the request was cancelled. */
  cancelled: number,
) => void;

export interface NativeAddon {
  constants: NativeConstants;

  // ---- environment -------------------------------------------------------
  /** MPI_Init_thread(requested) once; later calls return the provided level. */
  initialize(requestedThreadLevel: number): number;
  /** Flushes nothing (JS does that first); MPI_Finalize if initialised and not yet finalised. */
  finalize(): void;
  isInitialized(): boolean;
  isFinalized(): boolean;
  queryThread(): number;
  abort(comm: number, code: number): never;
  wtime(): number;
  wtick(): number;
  processorName(): string;
  libraryVersion(): string;
  version(): [number, number];
  errorString(code: number): string;
  errorClass(code: number): number;
  setStatusBuffer(status: Float64Array): void;
  /** MPI errors are thrown as `new ctor(message, errorClass, errorCode)` (null: plain Errors). */
  setErrorConstructor(ctor: (new (message: string, errorClass: number, errorCode: number) => Error) | null): void;

  // ---- communicators -----------------------------------------------------
  commRank(comm: number): number;
  commSize(comm: number): number;
  /** Returns a new handle (MPI_ERRORS_RETURN set on it). */
  commDup(comm: number): number;
  /** Returns a new handle, or -1 when color is UNDEFINED (MPI_COMM_NULL). */
  commSplit(comm: number, color: number, key: number): number;
  commFree(comm: number): void;
  /**
   * The handle of the communicator's shadow: an MPI_Comm_dup of it made when
   * it was created and freed with it; the bodies of large values travel on it.
   */
  commShadow(comm: number): number;

  // ---- dynamic processes (spawn.cc) ----------------------------------------
  /**
   * MPI_Comm_spawn from COMM_SELF of `maxprocs` copies of `command args...`
   * (info: MPI_Info key/value pairs), then MPI_Intercomm_merge: returns the
   * handle of an intracommunicator where the caller is rank 0.
   */
  commSpawn(command: string, args: string[], maxprocs: number, info?: Array<[string, string]>): number;
  /** In a spawned process: the merged intracommunicator with its parent (parent = rank 0); -1 when not spawned. */
  commGetParent(): number;

  // ---- point to point, buffers ------------------------------------------
  send(comm: number, buf: BufferView, dest: number, tag: number): void;
  /** Receives into buf; status in the status buffer. */
  recv(comm: number, buf: BufferView, source: number, tag: number): void;
  sendrecv(
    comm: number,
    sendbuf: BufferView,
    dest: number,
    sendtag: number,
    recvbuf: BufferView,
    source: number,
    recvtag: number,
  ): void;
  /** One message made of several views, gathered by a derived datatype (no copy). */
  sendParts(comm: number, parts: ArrayBufferView[], dest: number, tag: number): void;
  /** Blocking matched probe + receive of a message of unknown size. Status in the status buffer. */
  probeRecv(comm: number, source: number, tag: number): ArrayBuffer;
  /**
   * Spins on MPI_Improbe for at most `spinMicros` microseconds; returns the
   * message if one was matched (and received), else null. Never blocks longer.
   */
  tryProbeRecv(comm: number, source: number, tag: number, spinMicros: number): ArrayBuffer | null;
  /** MPI_Probe; status in the status buffer. */
  probe(comm: number, source: number, tag: number): void;
  /** MPI_Iprobe; status in the status buffer when true. */
  iprobe(comm: number, source: number, tag: number): boolean;

  // ---- nonblocking: requests completed by the native poller ---------------
  /** The views stay referenced until completion. Return request ids. */
  isend(comm: number, buf: BufferView, dest: number, tag: number): number;
  isendParts(comm: number, parts: ArrayBufferView[], dest: number, tag: number): number;
  irecv(comm: number, buf: BufferView, source: number, tag: number): number;
  ibarrier(comm: number): number;
  /** A receive of unknown size: completes (with `data`) once Improbe matches. */
  iprobeRecv(comm: number, source: number, tag: number): number;
  /**
   * False while pending. Once complete (the completion callback is then NOT
   * called for it): true, or for a probe-receive the received message; status
   * in the status buffer.
   */
  test(requestId: number): boolean | ArrayBuffer;
  /** Cancels; the completion callback then fires with cancelled status. */
  cancel(requestId: number): void;
  /** One JS callback for every completion. */
  setCompletionCallback(cb: CompletionCallback): void;
  /**
   * Poller policy: spin (uv idle) for `spinMicros` after the last completion
   * or post, then poll from a timer whose period doubles from 50 us up to
   * `maxSleepMicros`. Handles are ref'd only while requests are pending.
   * Setting the policy restarts the spin phase.
   */
  setPollPolicy(spinMicros: number, maxSleepMicros: number): void;
  pendingRequests(): number;

  // ---- collectives, buffers (null sendbuf = MPI_IN_PLACE) ----------------
  barrier(comm: number): void;
  bcast(comm: number, buf: BufferView, root: number): void;
  reduce(comm: number, sendbuf: BufferView | null, recvbuf: BufferView | null, op: OpIndex, root: number): void;
  allreduce(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex): void;
  scan(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex): void;
  exscan(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex): void;
  /** recvbuf only significant (may be null) on non-roots. Counts are per rank, in elements. */
  /** A null sendbuf is MPI_IN_PLACE (at the root). */
  gather(comm: number, sendbuf: BufferView | null, recvbuf: BufferView | null, root: number): void;
  scatter(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, root: number): void;
  allgather(comm: number, sendbuf: BufferView | null, recvbuf: BufferView): void;
  alltoall(comm: number, sendbuf: BufferView | null, recvbuf: BufferView): void;
  /** counts/displs in elements of recvbuf's (sendbuf's for scatterv) datatype. */
  gatherv(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView | null,
    counts: Int32Array | null,
    displs: Int32Array | null,
    root: number,
  ): void;
  scatterv(
    comm: number,
    sendbuf: BufferView | null,
    counts: Int32Array | null,
    displs: Int32Array | null,
    recvbuf: BufferView,
    root: number,
  ): void;
  allgatherv(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView,
    counts: Int32Array,
    displs: Int32Array,
  ): void;
  alltoallv(
    comm: number,
    sendbuf: BufferView | null,
    scounts: Int32Array | null,
    sdispls: Int32Array | null,
    recvbuf: BufferView,
    rcounts: Int32Array,
    rdispls: Int32Array,
  ): void;

  // ---- derived datatypes (datatypes.cc); types are handles, predefined first
  /** Handle of each predefined type, by mpi4py name (DOUBLE, INT32_T, ...). */
  predefinedTypes: Readonly<Record<string, number>>;
  typeConstants: { readonly ORDER_C: number; readonly ORDER_FORTRAN: number };
  typeContiguous(count: number, oldtype: number): number;
  typeVector(count: number, blocklength: number, stride: number, oldtype: number): number;
  /** stride in bytes. */
  typeHvector(count: number, blocklength: number, stride: number, oldtype: number): number;
  typeIndexed(blocklengths: ArrayLike<number>, displacements: ArrayLike<number>, oldtype: number): number;
  typeIndexedBlock(blocklength: number, displacements: ArrayLike<number>, oldtype: number): number;
  /** displacements in bytes. */
  typeHindexed(blocklengths: ArrayLike<number>, displacements: ArrayLike<number>, oldtype: number): number;
  typeSubarray(
    sizes: ArrayLike<number>,
    subsizes: ArrayLike<number>,
    starts: ArrayLike<number>,
    order: number,
    oldtype: number,
  ): number;
  /** displacements in bytes. */
  typeStruct(blocklengths: ArrayLike<number>, displacements: ArrayLike<number>, types: number[]): number;
  typeResized(oldtype: number, lb: number, extent: number): number;
  typeDup(type: number): number;
  typeCommit(type: number): void;
  typeFree(type: number): void;
  /** [size, lb, extent, trueLb, trueExtent] in bytes. */
  typeLayout(type: number): Float64Array;
  typeName(type: number): string;
  typeCommitted(type: number): boolean;

  // ---- one-sided communication (win.cc); windows are handles -------------
  winConstants: {
    readonly LOCK_EXCLUSIVE: number;
    readonly LOCK_SHARED: number;
    readonly MODE_NOCHECK: number;
    readonly MODE_NOSTORE: number;
    readonly MODE_NOPUT: number;
    readonly MODE_NOPRECEDE: number;
    readonly MODE_NOSUCCEED: number;
  };
  /** Collective over comm; buf stays referenced until winFree. */
  winCreate(buf: ArrayBufferView | null, dispUnit: number, info: InfoPairs | null, comm: number): number;
  /** MPI_Win_allocate(_shared); the memory is winMemory's ArrayBuffer, detached at winFree. */
  winAllocate(size: number, dispUnit: number, info: InfoPairs | null, comm: number, shared: boolean): number;
  /** The view given to winCreate, or the ArrayBuffer over MPI's memory; undefined without memory. */
  winMemory(win: number): ArrayBufferView | ArrayBuffer | undefined;
  /** [size0, dispUnit0, size1, dispUnit1, ...] of every rank. */
  winSizes(win: number): Float64Array;
  /** Another rank's segment of a shared window (detached at winFree), and its dispUnit. */
  winSharedQuery(win: number, rank: number): [ArrayBuffer, number];
  winFree(win: number): void;
  /** targetCount < 0 / targetType null: as the origin. Views stay referenced until the epoch's synchronisation. */
  winPut(
    win: number,
    origin: BufferView,
    targetRank: number,
    targetDisp: number,
    targetCount: number,
    targetType: DatatypeRef | null,
  ): void;
  winGet(
    win: number,
    origin: BufferView,
    targetRank: number,
    targetDisp: number,
    targetCount: number,
    targetType: DatatypeRef | null,
  ): void;
  winAccumulate(
    win: number,
    origin: BufferView,
    targetRank: number,
    targetDisp: number,
    targetCount: number,
    targetType: DatatypeRef | null,
    op: OpIndex,
  ): void;
  winGetAccumulate(
    win: number,
    origin: BufferView | null,
    result: BufferView,
    targetRank: number,
    targetDisp: number,
    targetCount: number,
    targetType: DatatypeRef | null,
    op: OpIndex,
  ): void;
  winFetchAndOp(
    win: number,
    origin: BufferView | null,
    result: BufferView,
    targetRank: number,
    targetDisp: number,
    op: OpIndex,
  ): void;
  winCompareAndSwap(
    win: number,
    origin: BufferView,
    compare: BufferView,
    result: BufferView,
    targetRank: number,
    targetDisp: number,
  ): void;
  winFence(win: number, assertion: number): void;
  winLock(win: number, rank: number, lockType: number, assertion: number): void;
  winUnlock(win: number, rank: number): void;
  winLockAll(win: number, assertion: number): void;
  winUnlockAll(win: number): void;
  winFlush(win: number, rank: number): void;
  winFlushAll(win: number): void;
  winFlushLocal(win: number, rank: number): void;
  winFlushLocalAll(win: number): void;
  winSync(win: number): void;

  // ---- parallel I/O (file.cc); files are handles ---------------------------
  fileConstants: {
    readonly MODE_RDONLY: number;
    readonly MODE_WRONLY: number;
    readonly MODE_RDWR: number;
    readonly MODE_CREATE: number;
    readonly MODE_EXCL: number;
    readonly MODE_DELETE_ON_CLOSE: number;
    readonly MODE_UNIQUE_OPEN: number;
    readonly MODE_SEQUENTIAL: number;
    readonly MODE_APPEND: number;
    readonly SEEK_SET: number;
    readonly SEEK_CUR: number;
    readonly SEEK_END: number;
  };
  /** Collective over comm. MPI errors of every file call name the path. */
  fileOpen(comm: number, path: string, amode: number, info: InfoPairs | null): number;
  fileClose(file: number): void;
  fileDelete(path: string, info: InfoPairs | null): void;
  fileGetSize(file: number): number;
  fileSetSize(file: number, size: number): void;
  filePreallocate(file: number, size: number): void;
  fileSync(file: number): void;
  fileSetView(
    file: number,
    disp: number,
    etype: DatatypeRef,
    filetype: DatatypeRef,
    datarep: string,
    info: InfoPairs | null,
  ): void;
  fileSeek(file: number, offset: number, whence: number): void;
  fileGetPosition(file: number): number;
  /** Status (count = bytes moved) in the status buffer. */
  fileReadAt(file: number, offset: number, buf: BufferView): void;
  fileReadAtAll(file: number, offset: number, buf: BufferView): void;
  fileWriteAt(file: number, offset: number, buf: BufferView): void;
  fileWriteAtAll(file: number, offset: number, buf: BufferView): void;
  fileRead(file: number, buf: BufferView): void;
  fileReadAll(file: number, buf: BufferView): void;
  fileWrite(file: number, buf: BufferView): void;
  fileWriteAll(file: number, buf: BufferView): void;
  /** Request ids; the view stays referenced until completion. */
  fileIreadAt(file: number, offset: number, buf: BufferView): number;
  fileIwriteAt(file: number, offset: number, buf: BufferView): number;

  // ---- the failure watchdog (src/native/watchdog.h) -----------------------
  /**
   * Rank 0: starts the watchdog thread (once) listening on every IPv4
   * interface; returns its TCP port. Notices must start with `token`.
   */
  watchdogStart(token: string, graceSeconds: number): number;
  /** Rank 0: how long the main thread may stay blocked in MPI after a notice. */
  watchdogSetGrace(graceSeconds: number): void;
  /** Rank 0: every command up to `seq` has finished here (its notices are stale). */
  watchdogSettled(seq: number): void;
  /**
   * Workers: sends a failure notice for command `seq` to the first of `hosts`
   * that accepts it on `port`, within `timeoutMs` in all. True when sent.
   */
  watchdogNotify(hosts: string[], port: number, token: string, seq: number, text: string, timeoutMs: number): boolean;
}
