// The serial fallback: the native interface implemented for a world of one
// rank, used when no MPI library can be loaded. Messages to self are queued
// (as MPI buffers small sends), collectives copy the send buffer to the
// receive buffer, and a receive that nothing could ever match throws instead
// of hanging as real MPI would.
import type {
  BufferView as BufferArg,
  CompletionCallback,
  NativeAddon,
  NativeConstants,
  SendMode,
  UserOpCallback,
} from '../native/addon';
import { openMpiErrorClasses } from './error-class-numbers';
import { MPIError } from './errors';
import { elementKind } from './element-kinds';
import { createSerialCommunicators } from './serial-communicators';
import { plain, plainOrNull, serialTypes, serialUnavailable } from './serial-types';

// Inside the fallback every buffer is a plain view: buffer specs are resolved
// at the entry points (plain / plainOrNull).
type BufferView = ArrayBufferView;

const constants: NativeConstants = {
  ANY_SOURCE: -1,
  ANY_TAG: -1,
  PROC_NULL: -2,
  UNDEFINED: -32766,
  TAG_UB: 2147483647,
  THREAD_SINGLE: 0,
  THREAD_FUNNELED: 1,
  THREAD_SERIALIZED: 2,
  THREAD_MULTIPLE: 3,
  ERR_TRUNCATE: 15,
  ERR_RANK: 6,
  ERR_TAG: 4,
  // Open MPI's values of the group, topology and intercommunicator constants.
  ROOT: -4,
  IDENT: 0,
  CONGRUENT: 1,
  SIMILAR: 2,
  UNEQUAL: 3,
  CART: 1,
  GRAPH: 2,
  DIST_GRAPH: 3,
  COMM_TYPE_SHARED: 0,
  IMPLEMENTATION: 'serial',
};

interface Queued {
  comm: number;
  tag: number;
  bytes: Uint8Array;
}
interface PendingRecv {
  id: number;
  comm: number;
  tag: number;
  buf: BufferView | null;
}
/** A completed request, until delivered to the callback or taken by test(). */
interface Outcome {
  source: number;
  tag: number;
  count: number;
  error: number;
  data?: ArrayBuffer;
  cancelled: number;
}

function bytesOf(v: BufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

export function createSerialAddon(): NativeAddon {
  let initialized = false,
    finalized = false;
  let status: Float64Array = new Float64Array(5);
  let callback: CompletionCallback = () => {};
  const comms = new Set<number>([0, 1]);
  const shadows = new Map<number, number>();
  let nextComm = 2,
    nextRequest = 1;
  const queue: Queued[] = [];
  const pending: PendingRecv[] = [];
  // Every posted request, with its outcome once complete.
  const requests = new Map<number, Outcome | null>();
  const t0 = process.hrtime.bigint();
  const BSEND_OVERHEAD = 128;
  let attached: BufferView | undefined;
  // Persistent requests: what each start() posts.
  const persistent = new Map<number, () => number>();
  let nextPersistent = 1;
  // Matched messages, out of the queue until received.
  const matched = new Map<number, Queued>();
  let nextMessage = 1;

  const checkComm = (c: number): void => {
    if (!comms.has(c)) throw new Error(`invalid communicator handle ${c}`);
  };
  const checkPeer = (r: number, what: string, allowAny: boolean): void => {
    if (r === 0 || r === constants.PROC_NULL || (allowAny && r === constants.ANY_SOURCE)) return;
    throw new RangeError(`${what} ${r} is out of range for a communicator of size 1`);
  };
  const checkTag = (t: number, allowAny: boolean): void => {
    if ((allowAny && t === constants.ANY_TAG) || (Number.isInteger(t) && t >= 0 && t <= constants.TAG_UB)) return;
    throw new RangeError(`tag ${t} is out of range (0..${constants.TAG_UB})`);
  };
  const setStatus = (tag: number, count: number, source = 0): void => {
    status[0] = source;
    status[1] = tag;
    status[2] = count;
    status[3] = 0;
    status[4] = 0;
  };
  const ERR_TRUNCATE = constants.ERR_TRUNCATE;
  const take = (comm: number, tag: number): Queued | undefined => {
    const i = queue.findIndex((m) => m.comm === comm && (tag === constants.ANY_TAG || m.tag === tag));
    return i < 0 ? undefined : queue.splice(i, 1)[0];
  };
  const copyInto = (dst: BufferView, src: Uint8Array): void => {
    if (src.byteLength > dst.byteLength) {
      throw Object.assign(new MPIError('MPI_ERR_TRUNCATE: message truncated', ERR_TRUNCATE), {
        mpiErrorCode: ERR_TRUNCATE,
        mpiErrorClass: ERR_TRUNCATE,
      });
    }
    bytesOf(dst).set(src);
  };
  const copyAll = (src: BufferView | null, dst: BufferView | null): void => {
    if (src && dst) copyInto(dst, bytesOf(src));
  };
  // Completes a request now; the callback hears of it on the next turn unless test() takes it first.
  const complete = (id: number, outcome: Outcome): void => {
    requests.set(id, outcome);
    setImmediate(() => {
      const o = requests.get(id);
      if (!o) return;
      requests.delete(id);
      callback(id, o.source, o.tag, o.count, o.error, o.data, o.cancelled);
    });
  };
  const deliver = (): void => {
    // Match queued messages to pending receives in post order.
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i];
      const m = take(p.comm, p.tag);
      if (!m) continue;
      pending.splice(i--, 1);
      const count = m.bytes.byteLength;
      if (p.buf && count > p.buf.byteLength) {
        complete(p.id, { source: 0, tag: m.tag, count: 0, error: ERR_TRUNCATE, cancelled: 0 });
        continue;
      }
      if (p.buf) bytesOf(p.buf).set(m.bytes);
      complete(p.id, {
        source: 0,
        tag: m.tag,
        count,
        error: 0,
        data: p.buf ? undefined : m.bytes.slice().buffer,
        cancelled: 0,
      });
    }
  };
  const postRecv = (comm: number, source: number, tag: number, buf: BufferView | null): number => {
    checkComm(comm);
    checkPeer(source, 'source', true);
    checkTag(tag, true);
    const id = nextRequest++;
    if (source === constants.PROC_NULL) {
      complete(id, {
        source,
        tag: constants.ANY_TAG,
        count: 0,
        error: 0,
        data: buf ? undefined : new ArrayBuffer(0),
        cancelled: 0,
      });
      return id;
    }
    requests.set(id, null);
    pending.push({ id, comm, tag, buf });
    deliver();
    return id;
  };
  const enqueue = (comm: number, parts: BufferView[], dest: number, tag: number): void => {
    checkComm(comm);
    checkPeer(dest, 'dest', false);
    checkTag(tag, false);
    if (dest === constants.PROC_NULL) return;
    const total = parts.reduce((n, p) => n + p.byteLength, 0);
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      bytes.set(bytesOf(p), off);
      off += p.byteLength;
    }
    queue.push({ comm, tag, bytes });
    deliver();
  };
  const receive = (comm: number, source: number, tag: number): Queued => {
    checkComm(comm);
    checkPeer(source, 'source', true);
    checkTag(tag, true);
    if (source === constants.PROC_NULL) {
      setStatus(constants.ANY_TAG, 0, source);
      return { comm, tag: constants.ANY_TAG, bytes: new Uint8Array(0) };
    }
    const m = take(comm, tag);
    if (!m) throw new Error('receive would block forever: no matching message in a one-rank world');
    setStatus(m.tag, m.bytes.byteLength);
    return m;
  };
  const sent = (parts: BufferView[], dest: number, tag: number): number => {
    const id = nextRequest++;
    complete(id, { source: dest, tag, count: parts.reduce((n, p) => n + p.byteLength, 0), error: 0, cancelled: 0 });
    return id;
  };
  // One rank: a null (in-place) send buffer leaves recvbuf as it is.
  const gatherCheck = (send: BufferView | null, recv: BufferView | null): void => {
    if (!send) return;
    if (recv && recv.byteLength < send.byteLength) throw new RangeError('receive buffer is too small');
    copyAll(send, recv);
  };

  // Message parts are views only; a buffer spec ends with its datatype.
  const partsOf = (buf: BufferArg | BufferArg[]): BufferView[] =>
    Array.isArray(buf) && buf.length > 0 && ArrayBuffer.isView(buf[buf.length - 1])
      ? (buf as BufferView[])
      : [plain(buf as BufferArg)];
  // A buffered send needs attached room; a synchronous one needs a posted
  // receive (one rank: nothing else could ever receive it).
  const checkMode = (c: number, parts: BufferView[], dest: number, tag: number, mode: SendMode): void => {
    const bytes = parts.reduce((n, p) => n + p.byteLength, 0);
    if (mode === 2 && bytes + BSEND_OVERHEAD > (attached?.byteLength ?? 0)) {
      throw new MPIError(
        `MPI_Bsend: a buffered send of ${bytes} bytes needs ${bytes + BSEND_OVERHEAD} bytes of attached buffer ` +
          `(BSEND_OVERHEAD included), but ${attached ? `the attached buffer has ${attached.byteLength} bytes` : 'no buffer is attached'}; ` +
          'attach a larger one with attachBuffer()',
        openMpiErrorClasses.ERR_BUFFER,
      );
    }
    if (mode === 1 && dest !== constants.PROC_NULL) {
      const waiting = pending.some((p) => p.comm === c && (p.tag === constants.ANY_TAG || p.tag === tag));
      if (!waiting) throw new Error('ssend would block forever: no matching receive is posted in a one-rank world');
    }
  };
  const messageStatus = (m: Queued | undefined): void => {
    if (m) setStatus(m.tag, m.bytes.byteLength);
    else setStatus(constants.ANY_TAG, 0, constants.PROC_NULL);
  };
  const takeMessage = (id: number): Queued | undefined => {
    if (id === -1) return undefined;
    const m = matched.get(id);
    if (!m) throw new Error(`message ${id} has already been received (a matched message is received exactly once)`);
    matched.delete(id);
    return m;
  };
  const remember = (m: Queued): number => {
    matched.set(nextMessage, m);
    return nextMessage++;
  };

  // A request completed at the call, delivered like any completion.
  const completed = (): number => sent([], constants.ANY_SOURCE, constants.ANY_TAG);
  // A nonblocking collective: done at the call.
  const now = (run: () => void): number => {
    run();
    return completed();
  };
  const userOps = new Map<number, UserOpCallback>();
  let nextOp = 1;

  const self: NativeAddon = {
    ...createSerialCommunicators({
      constants,
      checkComm,
      newComm: () => {
        comms.add(nextComm);
        return nextComm++;
      },
      completedRequest: completed,
    }),
    constants,
    errorClasses: openMpiErrorClasses,
    BSEND_OVERHEAD,
    initialize: () => {
      initialized = true;
      return constants.THREAD_MULTIPLE;
    },
    finalize: () => {
      if (initialized) finalized = true;
    },
    isInitialized: () => initialized,
    isFinalized: () => finalized,
    queryThread: () => constants.THREAD_MULTIPLE,
    abort: (_c: number, code: number): never => process.exit(code),
    wtime: () => Number(process.hrtime.bigint() - t0) / 1e9,
    wtick: () => 1e-9,
    processorName: () => require('node:os').hostname() as string,
    libraryVersion: () => 'mpi-loop serial fallback (no MPI library)',
    version: () => [3, 1],
    errorString: (code: number) => {
      const name = Object.keys(openMpiErrorClasses).find((k) => openMpiErrorClasses[k] === code);
      return name ? `MPI_${name}` : `MPI error ${code}`;
    },
    errorClass: (code: number) => code,
    setStatusBuffer: (s: Float64Array) => {
      status = s;
    },
    setErrorConstructor: () => {},

    commRank: (c) => {
      checkComm(c);
      return 0;
    },
    commSize: (c) => {
      checkComm(c);
      return 1;
    },
    commDup: (c) => {
      checkComm(c);
      comms.add(nextComm);
      return nextComm++;
    },
    commSplit: (c, color) => {
      checkComm(c);
      if (color === constants.UNDEFINED) return -1;
      comms.add(nextComm);
      return nextComm++;
    },
    commFree: (c) => {
      if (c <= 1) return;
      comms.delete(c);
      const shadow = shadows.get(c);
      if (shadow !== undefined) comms.delete(shadow);
    },
    // Made on first use: nothing is collective in a world of one.
    commShadow: (c) => {
      checkComm(c);
      let shadow = shadows.get(c);
      if (shadow === undefined) {
        shadow = nextComm++;
        comms.add(shadow);
        shadows.set(c, shadow);
      }
      return shadow;
    },
    commSpawn: () => {
      throw new Error('commSpawn: no MPI library (serial fallback): processes cannot be spawned');
    },
    commGetParent: () => -1,
    openPortError: () => 'no MPI library (serial fallback)',

    send: (c, buf, dest, tag) => enqueue(c, [plain(buf)], dest, tag),
    sendParts: (c, parts, dest, tag) => enqueue(c, parts, dest, tag),
    sendEach: (c, buf, dests, tag) => {
      for (const dest of dests) enqueue(c, [plain(buf)], dest, tag);
    },
    recv: (c, buf, source, tag) => copyInto(plain(buf), receive(c, source, tag).bytes),
    sendrecv: (c, sbuf, dest, stag, rbuf, source, rtag) => {
      enqueue(c, [plain(sbuf)], dest, stag);
      copyInto(plain(rbuf), receive(c, source, rtag).bytes);
    },
    probeRecv: (c, source, tag) => receive(c, source, tag).bytes.slice().buffer,
    probeRecvInto: (c, source, tag, scratch) => {
      const { bytes } = receive(c, source, tag);
      if (source === constants.PROC_NULL || bytes.byteLength > scratch.byteLength) return bytes.slice().buffer;
      scratch.set(bytes);
      return bytes.byteLength;
    },
    tryProbeRecv: (c, source, tag) => {
      checkComm(c);
      const m = take(c, tag);
      if (!m) return null;
      setStatus(m.tag, m.bytes.byteLength);
      return m.bytes.slice().buffer;
    },
    // No other process writes here: the words either have reached least or never will.
    waitWords: (view, first, stride, count, least) => {
      for (let k = 0; k < count; k++) if (((view[first + k * stride] - least) | 0) < 0) return false;
      return true;
    },
    probe: (c, source, tag) => {
      const m = receive(c, source, tag);
      queue.unshift(m);
    },
    iprobe: (c, source, tag) => {
      checkComm(c);
      checkPeer(source, 'source', true);
      checkTag(tag, true);
      const m = queue.find((q) => q.comm === c && (tag === constants.ANY_TAG || q.tag === tag));
      if (m) setStatus(m.tag, m.bytes.byteLength);
      return m !== undefined;
    },

    sendInMode: (c, buf, dest, tag, mode) => {
      checkMode(c, partsOf(buf), dest, tag, mode);
      enqueue(c, partsOf(buf), dest, tag);
    },
    isendInMode: (c, buf, dest, tag, mode) => {
      checkMode(c, partsOf(buf), dest, tag, mode === 1 ? 0 : mode);
      enqueue(c, partsOf(buf), dest, tag);
      return sent(partsOf(buf), dest, tag);
    },
    sendrecvReplace: (c, arg, dest, stag, source, rtag) => {
      const buf = plain(arg);
      enqueue(c, [bytesOf(buf).slice()], dest, stag);
      copyInto(buf, receive(c, source, rtag).bytes);
    },
    attachBuffer: (buf) => {
      if (attached)
        throw new Error(
          `attachBuffer: a buffer of ${attached.byteLength} bytes is already attached; detachBuffer() first`,
        );
      attached = buf;
    },
    detachBuffer: () => {
      const buf = attached;
      attached = undefined;
      return buf;
    },
    sendInit: (c, arg, dest, tag, mode) => {
      const buf = plain(arg);
      checkComm(c);
      checkPeer(dest, 'dest', false);
      checkTag(tag, false);
      persistent.set(nextPersistent, () => {
        checkMode(c, [buf], dest, tag, mode === 1 ? 0 : mode);
        enqueue(c, [buf], dest, tag);
        return sent([buf], dest, tag);
      });
      return nextPersistent++;
    },
    recvInit: (c, buf, source, tag) => {
      checkComm(c);
      checkPeer(source, 'source', true);
      checkTag(tag, true);
      persistent.set(nextPersistent, () => postRecv(c, source, tag, plain(buf)));
      return nextPersistent++;
    },
    start: (pid) => {
      const post = persistent.get(pid);
      if (!post) throw new Error(`unknown persistent request ${pid} (freed, or never created)`);
      return post();
    },
    startall: (pids) => {
      const posts = Array.from(pids, (pid) => {
        const post = persistent.get(pid);
        if (!post) throw new Error(`unknown persistent request ${pid} (freed, or never created)`);
        return post;
      });
      return Int32Array.from(posts, (post) => post());
    },
    prequestFree: (pid) => {
      if (!persistent.delete(pid)) throw new Error(`unknown persistent request ${pid} (freed, or never created)`);
    },
    mprobe: (c, source, tag) => {
      const m = receive(c, source, tag);
      if (source === constants.PROC_NULL) return -1;
      return remember(m);
    },
    improbe: (c, source, tag) => {
      checkComm(c);
      checkPeer(source, 'source', true);
      checkTag(tag, true);
      if (source === constants.PROC_NULL) {
        messageStatus(undefined);
        return -1;
      }
      const m = take(c, tag);
      if (!m) return null;
      messageStatus(m);
      return remember(m);
    },
    mrecv: (id, arg) => {
      const buf = plainOrNull(arg ?? null);
      const m = takeMessage(id);
      messageStatus(m);
      const bytes = m?.bytes ?? new Uint8Array(0);
      if (!buf) return bytes.slice().buffer;
      copyInto(buf, bytes);
      return undefined;
    },
    imrecv: (id, arg) => {
      const buf = plainOrNull(arg ?? null);
      const m = takeMessage(id);
      const rid = nextRequest++;
      const bytes = m?.bytes ?? new Uint8Array(0);
      const source = m ? 0 : constants.PROC_NULL;
      const tag = m ? m.tag : constants.ANY_TAG;
      if (buf && bytes.byteLength > buf.byteLength) {
        complete(rid, { source, tag, count: 0, error: ERR_TRUNCATE, cancelled: 0 });
        return rid;
      }
      if (buf) bytesOf(buf).set(bytes);
      complete(rid, {
        source,
        tag,
        count: bytes.byteLength,
        error: 0,
        data: buf ? undefined : bytes.slice().buffer,
        cancelled: 0,
      });
      return rid;
    },

    isend: (c, arg, dest, tag) => {
      const buf = plain(arg);
      enqueue(c, [buf], dest, tag);
      return sent([buf], dest, tag);
    },
    isendParts: (c, parts, dest, tag) => {
      enqueue(c, parts, dest, tag);
      return sent(parts, dest, tag);
    },
    irecv: (c, buf, source, tag) => postRecv(c, source, tag, plain(buf)),
    iprobeRecv: (c, source, tag) => postRecv(c, source, tag, null),
    ibarrier: (c) => {
      checkComm(c);
      return sent([], constants.ANY_SOURCE, constants.ANY_TAG);
    },
    test: (id) => {
      const o = requests.get(id);
      if (o === undefined) throw new Error(`unknown request id ${id} (already completed, or never posted)`);
      if (o === null) return false;
      requests.delete(id);
      status[0] = o.source;
      status[1] = o.tag;
      status[2] = o.count;
      status[3] = o.error;
      status[4] = o.cancelled;
      return o.data ?? true;
    },
    cancel: (id) => {
      const i = pending.findIndex((p) => p.id === id);
      if (i < 0) return;
      const p = pending.splice(i, 1)[0];
      complete(id, { source: 0, tag: p.tag, count: 0, error: 0, cancelled: 1 });
    },
    setCompletionCallback: (cb) => {
      callback = cb;
    },
    setPollPolicy: () => {},
    pendingRequests: () => requests.size,
    receiveMemory: (bytes) => Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer,

    barrier: (c) => checkComm(c),
    bcast: (c, _buf, root) => {
      checkComm(c);
      checkPeer(root, 'root', false);
    },
    reduce: (c, s, r, _op, root) => {
      checkComm(c);
      checkPeer(root, 'root', false);
      copyAll(plainOrNull(s), plainOrNull(r));
    },
    allreduce: (c, s, r) => {
      checkComm(c);
      copyAll(plainOrNull(s), plain(r));
    },
    scan: (c, s, r) => {
      checkComm(c);
      copyAll(plainOrNull(s), plain(r));
    },
    exscan: (c) => checkComm(c),
    gather: (c, s, r, root) => {
      checkComm(c);
      checkPeer(root, 'root', false);
      gatherCheck(plainOrNull(s), plainOrNull(r));
    },
    scatter: (c, s, r, root) => {
      checkComm(c);
      checkPeer(root, 'root', false);
      if (s) gatherCheck(plain(s), plainOrNull(r));
    },
    allgather: (c, s, r) => {
      checkComm(c);
      gatherCheck(plainOrNull(s), plain(r));
    },
    alltoall: (c, s, r) => {
      checkComm(c);
      gatherCheck(plainOrNull(s), plain(r));
    },
    gatherv: (c, s, r, _counts, displs, root) => {
      checkComm(c);
      checkPeer(root, 'root', false);
      if (r && s) placeAt(plain(s), plain(r), displs ? displs[0] : 0);
    },
    scatterv: (c, s, _counts, displs, r, root) => {
      checkComm(c);
      checkPeer(root, 'root', false);
      if (s && r) takeFrom(plain(s), plain(r), displs ? displs[0] : 0);
    },
    allgatherv: (c, s, r, _counts, displs) => {
      checkComm(c);
      if (s) placeAt(plain(s), plain(r), displs[0]);
    },
    alltoallv: (c, sArg, _sc, sd, rArg, _rc, rd) => {
      checkComm(c);
      if (!sArg || !sd) return;
      const s = plain(sArg),
        r = plain(rArg);
      const el = elementSize(s);
      placeAt(new Uint8Array(s.buffer, s.byteOffset + sd[0] * el, r.byteLength - rd[0] * elementSize(r)), r, rd[0]);
    },
    alltoallw: (c, s, r) => {
      checkComm(c);
      if (s.length !== 1 || r.length !== 1) throw new TypeError('sendbufs and recvbufs must have 1 view each');
      copyAll(plain(s[0]), plain(r[0]));
    },
    // One rank: the reduction of one contribution is that contribution.
    reduceScatter: (c, sArg, rArg) => {
      checkComm(c);
      const s = plainOrNull(sArg),
        r = plain(rArg);
      if (s) copyInto(r, bytesOf(s).subarray(0, Math.min(s.byteLength, r.byteLength)));
    },
    reduceScatterBlock: (c, s, r) => {
      checkComm(c);
      if (s) copyAll(plain(s), plain(r));
    },
    ibcast: (...a) => now(() => self.bcast(...a)),
    ireduce: (...a) => now(() => self.reduce(...a)),
    iallreduce: (...a) => now(() => self.allreduce(...a)),
    iscan: (...a) => now(() => self.scan(...a)),
    iexscan: (...a) => now(() => self.exscan(...a)),
    igather: (...a) => now(() => self.gather(...a)),
    iscatter: (...a) => now(() => self.scatter(...a)),
    iallgather: (...a) => now(() => self.allgather(...a)),
    ialltoall: (...a) => now(() => self.alltoall(...a)),
    igatherv: (...a) => now(() => self.gatherv(...a)),
    iscatterv: (...a) => now(() => self.scatterv(...a)),
    iallgatherv: (...a) => now(() => self.allgatherv(...a)),
    ialltoallv: (...a) => now(() => self.alltoallv(...a)),
    ialltoallw: (...a) => now(() => self.alltoallw(...a)),
    ireduceScatter: (...a) => now(() => self.reduceScatter(...a)),
    ireduceScatterBlock: (...a) => now(() => self.reduceScatterBlock(...a)),
    opCreate: (fn) => {
      userOps.set(nextOp, fn);
      return nextOp++;
    },
    opFree: (handle) => {
      if (!userOps.delete(handle)) throw new Error(`user op ${handle} is already freed`);
    },
    // User ops only: MPI's built-ins are the MPI library's.
    reduceLocal: (inArg, inoutArg, op, pair = -1) => {
      const inbuf = plain(inArg),
        inoutbuf = plain(inoutArg);
      const fn = userOps.get(-1 - op);
      if (!fn) throw new Error('reduceLocal: only user ops (Op.create) run in the serial fallback (no MPI library)');
      if (inbuf.byteLength !== inoutbuf.byteLength)
        throw new RangeError('inoutbuf must have as many elements as inbuf');
      const kind = pair >= 0 ? 16 + pair : elementKind(inbuf);
      const inout = bytesOf(inoutbuf);
      const out = inout.slice();
      fn(bytesOf(inbuf).slice().buffer, out.buffer, kind, 0);
      inout.set(out);
    },
    pairExtents: () => [8, 16, 16, 8, 8],
    ...serialTypes(),
    ...serialUnavailable(),
    // One rank: no workers to watch.
    watchdogStart: () => 0,
    watchdogSetGrace: () => {},
    watchdogSettled: () => {},
    watchdogNotify: () => false,
    lifelineStart: () => false,
    lifelineStop: () => {},
    lifelineInfo: () => ({ connected: false, acknowledged: false, timeoutMs: 0, intervalMs: 0 }),
    linksRing: () => 0,
    heartbeatSetTimeout: () => {},
  };
  return self;
}

function elementSize(v: BufferView): number {
  return (v as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
}
function placeAt(src: BufferView, dst: BufferView, displ: number): void {
  const off = displ * elementSize(dst);
  if (off + src.byteLength > dst.byteLength)
    throw new RangeError('receive buffer is too small for counts/displacements');
  new Uint8Array(dst.buffer, dst.byteOffset + off, src.byteLength).set(bytesOf(src));
}
function takeFrom(src: BufferView, dst: BufferView, displ: number): void {
  const off = displ * elementSize(src);
  const out = bytesOf(dst);
  out.set(new Uint8Array(src.buffer, src.byteOffset + off, out.byteLength));
}
