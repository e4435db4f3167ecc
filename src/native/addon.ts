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

/**
 * Ops by code: built-ins 0..9 (SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND,
 * BOR, BXOR), one-sided only 10 REPLACE and 11 NO_OP, 16 MAXLOC, 17 MINLOC;
 * a user op (opCreate) is -1 - handle.
 */
export type OpIndex = number;
/** Pair datatype for MAXLOC/MINLOC: 0 FLOAT_INT, 1 DOUBLE_INT, 2 LONG_INT, 3 2INT, 4 SHORT_INT; -1 none. */
export type PairIndex = number;
/**
 * A user op's function as the addon calls it, synchronously inside MPI:
 * copies of invec and inoutvec, the element kind (0 Int8 ... 9 BigUint64 in
 * the order of the TypedArray kinds, 10 bytes, 16 + pair index for pairs) and
 * the count; the new inoutvec is copied back. It must not throw.
 */
export type UserOpCallback = (inBytes: ArrayBuffer, inoutBytes: ArrayBuffer, kind: number, count: number) => void;

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
  /** Intercommunicator rooted collectives: the root passes ROOT. */
  ROOT: number;
  IDENT: number;
  CONGRUENT: number;
  SIMILAR: number;
  UNEQUAL: number;
  CART: number;
  GRAPH: number;
  DIST_GRAPH: number;
  COMM_TYPE_SHARED: number;
  /** "Open MPI" or "MPICH": the implementation the addon was compiled against. */
  IMPLEMENTATION: string;
}

/** MPI's send modes: 0 standard, 1 synchronous, 2 buffered, 3 ready. */
export type SendMode = 0 | 1 | 2 | 3;

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
  /** MPI's error classes by name (SUCCESS, ERR_TRUNCATE, ...), from the compiled-against mpi.h (absent from addons built before it). */
  errorClasses?: Readonly<Record<string, number>>;
  /** MPI_BSEND_OVERHEAD: attached-buffer bytes a buffered send needs beyond its message. */
  BSEND_OVERHEAD?: number;

  // ---- environment -------------------------------------------------------
  /**
   * MPI_Init_thread(requested) once; later calls return the provided level.
   * yieldingWaits: blocking calls with a nonblocking twin wait by testing it and yielding the core.
   */
  initialize(requestedThreadLevel: number, yieldingWaits?: boolean): number;
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

  // ---- groups (group.cc): handles, 0 = GROUP_EMPTY ------------------------
  commGroup(comm: number): number;
  commRemoteGroup(comm: number): number;
  groupSize(group: number): number;
  /** UNDEFINED when the caller is not a member. */
  groupRank(group: number): number;
  groupIncl(group: number, ranks: Int32Array): number;
  groupExcl(group: number, ranks: Int32Array): number;
  /** ranges: flat [first, last, stride] triples. */
  groupRangeIncl(group: number, ranges: Int32Array): number;
  groupRangeExcl(group: number, ranges: Int32Array): number;
  groupUnion(a: number, b: number): number;
  groupIntersection(a: number, b: number): number;
  groupDifference(a: number, b: number): number;
  /** UNDEFINED where a process is not in group b. */
  groupTranslateRanks(a: number, ranks: Int32Array, b: number): Int32Array;
  groupCompare(a: number, b: number): number;
  groupFree(group: number): void;

  // ---- MPI_Info (info.cc): handles, -1 = INFO_NULL ---------------------------
  infoCreate(): number;
  infoSet(info: number, key: string, value: string): void;
  infoGet(info: number, key: string): string | undefined;
  /** True when the key was set. */
  infoDelete(info: number, key: string): boolean;
  infoKeys(info: number): string[];
  infoDup(info: number): number;
  infoFree(info: number): void;

  // ---- communicator management (comm_management.cc, intercomm.cc) ---------
  commCompare(a: number, b: number): number;
  /** -1 on ranks outside the group. */
  commCreate(comm: number, group: number): number;
  /** Collective over the group's members only; -1 elsewhere. */
  commCreateGroup(comm: number, group: number, tag: number): number;
  commSplitType(comm: number, splitType: number, key: number, info: number | null): number;
  commGetName(comm: number): string;
  commSetName(comm: number, name: string): void;
  /** The remote group's size, or -1 for an intracommunicator. */
  commRemoteSize(comm: number): number;
  /** MPI_Comm_idup: the request id of stage 1 (the new communicator). */
  commIdup(comm: number): number;
  /** After stage 1 completed: the request id of stage 2 (its shadow). */
  commIdupShadow(requestId: number): number;
  /** After stage 2 completed: the new communicator's handle. */
  commIdupAdopt(requestId: number): number;
  intercommCreate(local: number, localLeader: number, peer: number, remoteLeader: number, tag: number): number;
  intercommMerge(comm: number, high: boolean): number;

  // ---- topologies (topology.cc) and neighbourhood collectives (neighbor.cc) --
  /** -1 on ranks left out of the grid. */
  cartCreate(comm: number, dims: Int32Array, periods: Int32Array, reorder: boolean): number;
  dimsCreate(nnodes: number, dims: Int32Array): Int32Array;
  cartGet(comm: number): { dims: Int32Array; periods: Int32Array; coords: Int32Array };
  cartRank(comm: number, coords: Int32Array): number;
  cartCoords(comm: number, rank: number): Int32Array;
  cartShift(comm: number, direction: number, disp: number): [number, number];
  cartSub(comm: number, remainDims: Int32Array): number;
  /** CART, GRAPH, DIST_GRAPH or UNDEFINED. */
  topoTest(comm: number): number;
  graphCreate(comm: number, index: Int32Array, edges: Int32Array, reorder: boolean): number;
  graphNeighbors(comm: number, rank: number): Int32Array;
  distGraphCreateAdjacent(
    comm: number,
    sources: Int32Array,
    sourceWeights: Int32Array | null,
    destinations: Int32Array,
    destWeights: Int32Array | null,
    info: number | null,
    reorder: boolean,
  ): number;
  distGraphCreate(
    comm: number,
    sources: Int32Array,
    degrees: Int32Array,
    destinations: Int32Array,
    weights: Int32Array | null,
    info: number | null,
    reorder: boolean,
  ): number;
  distGraphNeighbors(comm: number): {
    sources: Int32Array;
    destinations: Int32Array;
    sourceWeights?: Int32Array;
    destWeights?: Int32Array;
  };
  neighborCounts(comm: number): { indegree: number; outdegree: number };
  neighborAllgather(comm: number, sendbuf: BufferView, recvbuf: BufferView): void;
  neighborAlltoall(comm: number, sendbuf: BufferView, recvbuf: BufferView): void;
  neighborAllgatherv(
    comm: number,
    sendbuf: BufferView,
    recvbuf: BufferView,
    counts: Int32Array,
    displs: Int32Array,
  ): void;
  neighborAlltoallv(
    comm: number,
    sendbuf: BufferView,
    scounts: Int32Array,
    sdispls: Int32Array,
    recvbuf: BufferView,
    rcounts: Int32Array,
    rdispls: Int32Array,
  ): void;
  /** The nonblocking forms return request ids. */
  ineighborAllgather(comm: number, sendbuf: BufferView, recvbuf: BufferView): number;
  ineighborAlltoall(comm: number, sendbuf: BufferView, recvbuf: BufferView): number;
  ineighborAllgatherv(
    comm: number,
    sendbuf: BufferView,
    recvbuf: BufferView,
    counts: Int32Array,
    displs: Int32Array,
  ): number;
  ineighborAlltoallv(
    comm: number,
    sendbuf: BufferView,
    scounts: Int32Array,
    sdispls: Int32Array,
    recvbuf: BufferView,
    rcounts: Int32Array,
    rdispls: Int32Array,
  ): number;

  // ---- dynamic processes (spawn.cc) ----------------------------------------
  /**
   * MPI_Comm_spawn from COMM_SELF of `maxprocs` copies of `command args...`
   * (info: MPI_Info key/value pairs), then MPI_Intercomm_merge: returns the
   * handle of an intracommunicator where the caller is rank 0.
   */
  commSpawn(command: string, args: string[], maxprocs: number, info?: Array<[string, string]>): number;
  /** In a spawned process: the merged intracommunicator with its parent (parent = rank 0); -1 when not spawned. */
  commGetParent(): number;
  /**
   * MPI_Comm_spawn over `comm` (the arguments after root are read at the
   * root only): the handle of the intercommunicator to the children.
   */
  commSpawnInter(
    comm: number,
    root: number,
    command: string,
    args: string[],
    maxprocs: number,
    info?: Array<[string, string]>,
  ): number;
  /** In a spawned process: the intercommunicator to the parents (same handle every call); -1 when not spawned. */
  commGetParentInter(): number;
  /** MPI_Open_port then MPI_Close_port: null when this MPI can open a port (which spawned children connect to), else MPI's error text. */
  openPortError(): string | null;

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
  /** The same message to every rank of dests: all sends started, then completed together. */
  sendEach(comm: number, buf: ArrayBufferView, dests: Int32Array, tag: number): void;
  /** Blocking matched probe + receive of a message of unknown size. Status in the status buffer. */
  probeRecv(comm: number, source: number, tag: number): ArrayBuffer;
  /** The message's length when it fitted into scratch, else the message in a new ArrayBuffer. */
  probeRecvInto(comm: number, source: number, tag: number, scratch: Uint8Array): number | ArrayBuffer;
  /**
   * Spins on MPI_Improbe for at most `spinMicros` microseconds; returns the
   * message if one was matched (and received), else null. `oversubscribed`
   * (more ranks than cores): the spin is counted in this thread's CPU time,
   * at most 10 times as long by the clock. With `scratch`, a message that
   * fits is received into it and its length returned. `yieldBetweenProbes`:
   * the core is yielded after each probe that found nothing.
   */
  tryProbeRecv(
    comm: number,
    source: number,
    tag: number,
    spinMicros: number,
    oversubscribed?: boolean,
    scratch?: Uint8Array,
    yieldBetweenProbes?: boolean,
  ): ArrayBuffer | number | null;
  /**
   * Waits until each of the `count` words view[first + k * stride] has
   * reached `least` (counters that wrap at 2^32); true when they have, false
   * when `spinMicros` (counted as tryProbeRecv's; Infinity: no limit) ran
   * out first. Between checks: a sleep of `sleepMicros` when given and
   * positive, else with `yieldCore` the core is given away. Used on words
   * other processes write (a shared-memory window).
   */
  waitWords(
    view: Int32Array,
    first: number,
    stride: number,
    count: number,
    least: number,
    spinMicros: number,
    oversubscribed: boolean,
    yieldCore: boolean,
    sleepMicros?: number,
  ): boolean;
  /** MPI_Probe; status in the status buffer. */
  probe(comm: number, source: number, tag: number): void;
  /** MPI_Iprobe; status in the status buffer when true. */
  iprobe(comm: number, source: number, tag: number): boolean;

  // ---- send modes (send_modes.cc, bsend_buffer.cc) -------------------------
  /** MPI_Send/Ssend/Bsend/Rsend of one view, or of parts sent as one message. */
  sendInMode(comm: number, buf: BufferView | BufferView[], dest: number, tag: number, mode: SendMode): void;
  /** MPI_Isend/Issend/Ibsend/Irsend; the views stay referenced until completion. Returns a request id. */
  isendInMode(comm: number, buf: BufferView | BufferView[], dest: number, tag: number, mode: SendMode): number;
  /** MPI_Sendrecv_replace; status in the status buffer. */
  sendrecvReplace(comm: number, buf: BufferView, dest: number, sendtag: number, source: number, recvtag: number): void;
  /** MPI_Buffer_attach; the view stays referenced until detached. */
  attachBuffer(buf: ArrayBufferView): void;
  /** MPI_Buffer_detach (waits until buffered messages are sent); the attached view, or undefined. */
  detachBuffer(): ArrayBufferView | undefined;

  // ---- persistent requests (prequest.cc) ----------------------------------
  /** MPI_Send_init (in `mode`); returns a persistent request id. */
  sendInit(comm: number, buf: BufferView, dest: number, tag: number, mode: SendMode): number;
  /** MPI_Recv_init; returns a persistent request id. */
  recvInit(comm: number, buf: BufferView, source: number, tag: number): number;
  /** MPI_Start; returns the request id of this activation (completed like any request). */
  start(prequestId: number): number;
  /** MPI_Startall; the request ids of the activations, in order. */
  startall(prequestIds: Int32Array): Int32Array;
  /** MPI_Request_free of an inactive persistent request. */
  prequestFree(prequestId: number): void;

  // ---- matched probe (matched_probe.cc) -----------------------------------
  /** MPI_Mprobe: a message id (-1 = MESSAGE_NO_PROC); status in the status buffer. */
  mprobe(comm: number, source: number, tag: number): number;
  /** MPI_Improbe: a message id, or null when nothing matches. */
  improbe(comm: number, source: number, tag: number): number | null;
  /** MPI_Mrecv into buf, or (buf null) into a new ArrayBuffer that is returned. Status in the status buffer. */
  mrecv(messageId: number, buf: BufferView | null): ArrayBuffer | undefined;
  /** MPI_Imrecv: a request id; without buf the request delivers a new ArrayBuffer as its data. */
  imrecv(messageId: number, buf: BufferView | null): number;

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
  /**
   * Uninitialised memory for a large incoming buffer; once the ArrayBuffer is
   * garbage-collected its memory is kept (bounded) for the next one of the
   * same size, so it is not page-faulted in again.
   */
  receiveMemory(bytes: number): ArrayBuffer;

  // ---- collectives, buffers (null sendbuf = MPI_IN_PLACE) ----------------
  barrier(comm: number): void;
  bcast(comm: number, buf: BufferView, root: number): void;
  reduce(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView | null,
    op: OpIndex,
    root: number,
    pair?: PairIndex,
  ): void;
  allreduce(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex, pair?: PairIndex): void;
  scan(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex, pair?: PairIndex): void;
  exscan(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex, pair?: PairIndex): void;
  /** recvbuf only significant (may be null) on non-roots. Counts are per rank, in elements. */
  /** A null sendbuf is MPI_IN_PLACE (at the root). */
  gather(comm: number, sendbuf: BufferView | null, recvbuf: BufferView | null, root: number): void;
  /** A null recvbuf at the root is MPI_IN_PLACE. */
  scatter(comm: number, sendbuf: BufferView | null, recvbuf: BufferView | null, root: number): void;
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
    recvbuf: BufferView | null,
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

  // ---- derived datatypes (derived_datatypes.cc); types are handles, predefined first
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
  winCreate(buf: ArrayBufferView | null, dispUnit: number, info: InfoPairs, comm: number): number;
  /** MPI_Win_allocate(_shared); the memory is winMemory's ArrayBuffer, detached at winFree. */
  winAllocate(size: number, dispUnit: number, info: InfoPairs, comm: number, shared: boolean): number;
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
  fileOpen(comm: number, path: string, amode: number, info: InfoPairs): number;
  fileClose(file: number): void;
  fileDelete(path: string, info: InfoPairs): void;
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
    info: InfoPairs,
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

  /** One view per peer, each with the datatype of its own kind (no copy). */
  alltoallw(comm: number, sendbufs: BufferView[], recvbufs: BufferView[]): void;
  /** counts: elements of the result on each rank; sendbuf holds their sum. */
  reduceScatter(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView,
    counts: Int32Array,
    op: OpIndex,
    pair?: PairIndex,
  ): void;
  /** recvbuf's length on every rank; sendbuf holds size times as many. */
  reduceScatterBlock(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView,
    op: OpIndex,
    pair?: PairIndex,
  ): void;

  // ---- nonblocking collectives: the blocking forms' arguments, a request id back
  ibcast(comm: number, buf: BufferView, root: number): number;
  ireduce(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView | null,
    op: OpIndex,
    root: number,
    pair?: PairIndex,
  ): number;
  iallreduce(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex, pair?: PairIndex): number;
  iscan(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex, pair?: PairIndex): number;
  iexscan(comm: number, sendbuf: BufferView | null, recvbuf: BufferView, op: OpIndex, pair?: PairIndex): number;
  igather(comm: number, sendbuf: BufferView | null, recvbuf: BufferView | null, root: number): number;
  iscatter(comm: number, sendbuf: BufferView | null, recvbuf: BufferView | null, root: number): number;
  iallgather(comm: number, sendbuf: BufferView | null, recvbuf: BufferView): number;
  ialltoall(comm: number, sendbuf: BufferView | null, recvbuf: BufferView): number;
  igatherv(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView | null,
    counts: Int32Array | null,
    displs: Int32Array | null,
    root: number,
  ): number;
  iscatterv(
    comm: number,
    sendbuf: BufferView | null,
    counts: Int32Array | null,
    displs: Int32Array | null,
    recvbuf: BufferView | null,
    root: number,
  ): number;
  iallgatherv(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView,
    counts: Int32Array,
    displs: Int32Array,
  ): number;
  ialltoallv(
    comm: number,
    sendbuf: BufferView | null,
    scounts: Int32Array | null,
    sdispls: Int32Array | null,
    recvbuf: BufferView,
    rcounts: Int32Array,
    rdispls: Int32Array,
  ): number;
  ialltoallw(comm: number, sendbufs: BufferView[], recvbufs: BufferView[]): number;
  ireduceScatter(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView,
    counts: Int32Array,
    op: OpIndex,
    pair?: PairIndex,
  ): number;
  ireduceScatterBlock(
    comm: number,
    sendbuf: BufferView | null,
    recvbuf: BufferView,
    op: OpIndex,
    pair?: PairIndex,
  ): number;

  // ---- user ops (user_ops.cc) ---------------------------------------------
  /** MPI_Op_create around `fn`; returns the op's handle (its op code is -1 - handle). */
  opCreate(fn: UserOpCallback, commute: boolean): number;
  /** MPI_Op_free; collectives still using the op finish with it. */
  opFree(handle: number): void;
  /** MPI_Reduce_local: inoutbuf = inbuf op inoutbuf. */
  reduceLocal(inbuf: BufferView, inoutbuf: BufferView, op: OpIndex, pair?: PairIndex): void;
  /** Bytes per pair of each pair datatype, by pair index. */
  pairExtents(): number[];

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

  // ---- heartbeats and rings on the side channel (src/native/heartbeat.h) --
  /**
   * Workers: opens this rank's link to rank 0's watchdog port (the first of
   * `hosts` that answers) and starts the lifeline thread; false when none
   * answers. `onRing` runs on the event loop at rank 0's first answer and at
   * every ring.
   */
  lifelineStart(
    hosts: string[],
    port: number,
    token: string,
    rank: number,
    ring: boolean,
    host: string,
    rank0Host: string,
    onRing: () => void,
  ): boolean;
  /** Workers: stops the lifeline thread and closes the link (at quit). */
  lifelineStop(): void;
  /** Workers: the link's state and the heartbeat timing in use. */
  lifelineInfo(): { connected: boolean; acknowledged: boolean; timeoutMs: number; intervalMs: number };
  /** Rank 0: rings every link that asked for rings; returns how many. */
  linksRing(): number;
  /** Both ends: silence on a link for this long ends the job (0: no heartbeats). */
  heartbeatSetTimeout(seconds: number): void;
}
