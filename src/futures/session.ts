// The master's side of the task protocol: a queue of tasks, a window of
// tasks in flight on every worker (so no worker waits for the master between
// tasks), results received on one pending receive that exists only while
// something is expected (so an idle master lets Node exit), and a watch on
// the workers' processes (a worker that dies rejects its tasks instead of
// leaving them pending forever).
import os from 'node:os';
import { ANY_SOURCE, type Comm, RemoteError, type Request } from '../index';
import { BrokenExecutorError } from './future';
import {
  type ErrorRecord,
  FAILED,
  FUNCTION_TAG,
  Kind,
  RESULT_TAG,
  TASK_TAG,
  type ToMaster,
  type ToWorker,
  type WireResult,
  type WireTask,
} from './protocol';
import { CancelledError } from '../util/cancelled';

type AnyFunction = Function;

/** One unit sent to a worker: a call of f on each argument array of items (on each item, if single). */
export interface Task {
  f: AnyFunction;
  items: unknown[];
  /** Each item is the one argument of its call (map over one iterable: no array per call). */
  single?: boolean;
  /** Called when a worker takes the task; false cancels it (it was cancelled meanwhile). */
  start(): boolean;
  done(values: unknown[]): void;
  failed(index: number, error: Error, valuesBefore: unknown[]): void;
  /** @internal */ id?: number;
  /** @internal */ cancelled?: boolean;
}

interface WorkerState {
  rank: number;
  alive: boolean;
  ready: boolean;
  pid: number;
  host: string;
  items: number;
  inflight: Map<number, Task>;
  defined: Set<number>;
  stopped: boolean;
}

const MIN_WINDOW = 1;
const MAX_WINDOW = 16384;
const FIRST_WINDOW = 1;
/** A worker holds about this much work (ms) in flight. */
const TARGET_MS = 4;
const LIVENESS_MS = 200;

export class Session {
  readonly comm: Comm;
  readonly workers: WorkerState[];
  readonly ready: Promise<void>;
  #readyResolve!: () => void;
  #hellos: number;
  #queue: Task[] = [];
  #head = 0;
  #queuedItems = 0;
  #nextTask = 1;
  #nextFid = 1;
  readonly #fids = new WeakMap<AnyFunction, number>();
  readonly #fns = new Map<number, AnyFunction>();
  /** Measured time per call, by function: how many calls a worker may hold (see #window). */
  readonly #perItemMs = new Map<number, number>();
  #rr = 0;
  #pumping = false;
  #request: Request<ToMaster> | null = null;
  #stopping = false;
  #stopWaiters: Array<() => void> = [];
  #drainWaiters: Array<() => void> = [];
  #liveness: NodeJS.Timeout | undefined;
  #dispatchScheduled = false;
  #broken: string | null = null;
  readonly #host = os.hostname();
  /** Called with each finished task's item count (progress). */
  onProgress: ((items: number) => void) | null = null;

  constructor(comm: Comm, workerRanks: number[]) {
    this.comm = comm;
    this.workers = workerRanks.map((rank) => ({
      rank,
      alive: true,
      ready: false,
      pid: -1,
      host: '',
      items: 0,
      inflight: new Map(),
      defined: new Set(),
      stopped: false,
    }));
    this.#hellos = this.workers.length;
    this.ready = new Promise<void>((resolve) => {
      this.#readyResolve = resolve;
    });
    if (this.#hellos === 0) this.#readyResolve();
    this.#pump();
  }

  get size(): number {
    return this.workers.filter((w) => w.alive).length;
  }
  get broken(): string | null {
    return this.#broken;
  }
  get pendingItems(): number {
    return this.#queuedItems;
  }

  #inflight(): number {
    let n = 0;
    for (const w of this.workers) n += w.inflight.size;
    return n;
  }

  #expecting(): boolean {
    if (this.#hellos > 0) return true;
    for (const w of this.workers) {
      if (!w.alive) continue;
      if (w.inflight.size > 0) return true;
      if (this.#stopping && !w.stopped) return true;
    }
    return false;
  }

  /** Queues a task (sent on the next turn, so a loop of submissions goes out in batches). */
  submit(task: Task): void {
    if (this.#broken) throw new BrokenExecutorError(this.#broken);
    if (this.#stopping) throw new Error('the pool is shutting down');
    task.id = this.#nextTask++;
    this.#queue.push(task);
    this.#queuedItems += task.items.length;
    this.#scheduleDispatch();
  }

  /** Removes a task that no worker has yet; false if it is already out. */
  cancel(task: Task): boolean {
    if (task.cancelled) return true;
    for (const w of this.workers) if (task.id !== undefined && w.inflight.has(task.id)) return false;
    task.cancelled = true;
    this.#queuedItems -= task.items.length;
    this.#checkDrained();
    return true;
  }

  #scheduleDispatch(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    setImmediate(() => {
      this.#dispatchScheduled = false;
      this.#dispatch();
    });
  }

  #takeFromQueue(cap: number): Task[] {
    const out: Task[] = [];
    let items = 0;
    while (this.#head < this.#queue.length && (out.length === 0 || items < cap)) {
      const t = this.#queue[this.#head++];
      if (t.cancelled) continue;
      if (!t.start()) {
        t.cancelled = true;
        this.#queuedItems -= t.items.length;
        continue;
      }
      this.#queuedItems -= t.items.length;
      items += t.items.length;
      out.push(t);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  #fidFor(f: AnyFunction): number {
    let fid = this.#fids.get(f);
    if (fid === undefined) {
      fid = this.#nextFid++;
      this.#fids.set(f, fid);
      this.#fns.set(fid, f);
    }
    return fid;
  }

  #sendTo(rank: number, message: unknown): void {
    this.comm
      .isend(message, rank, TASK_TAG)
      .wait()
      .catch((e: unknown) => this.#breakAll(`sending to rank ${rank} failed: ${String(e)}`));
  }

  #define(w: WorkerState, fid: number): void {
    const f = this.#fns.get(fid)!;
    const header: ToWorker = [Kind.Define, fid, f.name || '<anonymous>'];
    this.comm
      .isend(f, w.rank, FUNCTION_TAG)
      .wait()
      .catch((e: unknown) => this.#breakAll(`sending to rank ${w.rank} failed: ${String(e)}`));
    this.#sendTo(w.rank, header);
    w.defined.add(fid);
  }

  /** Calls in flight per worker for the task at the head of the queue: about TARGET_MS of work. */
  #window(): number {
    while (this.#head < this.#queue.length && this.#queue[this.#head].cancelled) this.#head++;
    const next = this.#queue[this.#head];
    const fid = next ? this.#fids.get(next.f) : undefined;
    const perItem = fid === undefined ? undefined : this.#perItemMs.get(fid);
    if (perItem === undefined) return FIRST_WINDOW;
    return Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, Math.round(TARGET_MS / Math.max(perItem, 1e-4))));
  }

  #dispatch(): void {
    if (this.#broken) return;
    const live = this.workers.filter((w) => w.alive && w.ready);
    if (live.length === 0) return;
    for (let k = 0; k < live.length && this.#queuedItems > 0; k++) {
      const w = live[(this.#rr + k) % live.length];
      const window = this.#window();
      const room = window - w.items;
      if (room <= 0 || (w.items > 0 && room < window / 2)) continue;
      const share = Math.ceil(this.#queuedItems / live.length);
      const tasks = this.#takeFromQueue(Math.max(1, Math.min(room, share)));
      if (tasks.length === 0) break;
      const wire: WireTask[] = [];
      for (const t of tasks) {
        let fid: number;
        try {
          fid = this.#fidFor(t.f);
          if (!w.defined.has(fid)) this.#define(w, fid);
        } catch (e) {
          t.failed(0, e as Error, []);
          continue;
        }
        w.inflight.set(t.id!, t);
        w.items += t.items.length;
        wire.push(t.single ? [t.id!, fid, t.items, 1] : [t.id!, fid, t.items]);
      }
      if (wire.length > 0) this.#sendTo(w.rank, [Kind.Tasks, wire]);
    }
    this.#rr++;
    this.#pump();
    this.#watchLiveness();
  }

  #pump(): void {
    if (this.#pumping || !this.#expecting()) return;
    this.#pumping = true;
    void (async () => {
      try {
        while (this.#expecting()) {
          const request = this.comm.irecv<ToMaster>(ANY_SOURCE, RESULT_TAG);
          this.#request = request;
          let message: ToMaster;
          try {
            message = await request.wait();
          } catch (e) {
            if (e instanceof CancelledError) continue; // cancelled because nothing is expected any more
            this.#breakAll(`receiving from the workers failed: ${String(e)}`);
            return;
          } finally {
            this.#request = null;
          }
          this.#handle(request.status.source, message);
        }
      } finally {
        this.#pumping = false;
      }
    })();
  }

  #worker(rank: number): WorkerState | undefined {
    return this.workers.find((w) => w.rank === rank);
  }

  #handle(source: number, message: ToMaster): void {
    const w = this.#worker(source);
    if (!w) return;
    switch (message[0]) {
      case Kind.Hello:
        if (!w.ready) {
          w.ready = true;
          w.pid = message[1];
          w.host = message[2];
          if (--this.#hellos === 0) this.#readyResolve();
          this.#scheduleDispatch();
        }
        break;
      case Kind.Results:
        this.#results(w, message[1], message[2], message[3]);
        break;
      case Kind.Need:
        this.#define(w, message[1]);
        break;
      case Kind.Stopped:
        w.stopped = true;
        this.#checkStopped();
        break;
    }
  }

  #results(w: WorkerState, busyMs: number, items: number, results: WireResult[]): void {
    const perItem = items > 0 ? busyMs / items : 0;
    let finished = 0;
    for (const r of results) {
      const task = w.inflight.get(r[0]);
      if (!task) continue;
      const fid = this.#fids.get(task.f);
      if (fid !== undefined && items > 0) {
        const old = this.#perItemMs.get(fid);
        this.#perItemMs.set(fid, old === undefined ? perItem : 0.7 * old + 0.3 * perItem);
      }
      w.inflight.delete(r[0]);
      w.items -= task.items.length;
      finished += task.items.length;
      if (r[1] === FAILED) task.failed(r[2], remoteError(w.rank, task, r[3]), r[4]);
      else task.done(r[2]);
    }
    if (finished > 0) this.onProgress?.(finished);
    this.#dispatch();
    this.#checkDrained();
  }

  #watchLiveness(): void {
    if (this.#liveness || !this.workers.some((w) => w.alive && w.host === this.#host && w.pid > 0)) return;
    this.#liveness = setInterval(() => {
      for (const w of this.workers) {
        if (!w.alive || w.host !== this.#host || w.pid <= 0 || (w.inflight.size === 0 && !this.#stopping)) continue;
        try {
          process.kill(w.pid, 0);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ESRCH') this.#died(w);
        }
      }
      if (!this.#expecting()) {
        clearInterval(this.#liveness);
        this.#liveness = undefined;
      }
    }, LIVENESS_MS);
    this.#liveness.unref();
  }

  #died(w: WorkerState): void {
    w.alive = false;
    const error = new BrokenExecutorError(
      `worker rank ${w.rank} (pid ${w.pid}) died with ${w.inflight.size} task(s) in flight`,
    );
    for (const task of w.inflight.values()) task.failed(0, error, []);
    w.inflight.clear();
    w.items = 0;
    if (this.size === 0) this.#breakAll('every worker has died');
    else this.#dispatch();
    this.#checkDrained();
    this.#checkStopped();
    if (!this.#expecting()) this.#request?.cancel();
  }

  #breakAll(why: string): void {
    if (this.#broken) return;
    this.#broken = why;
    const error = new BrokenExecutorError(why);
    for (const w of this.workers) {
      for (const task of w.inflight.values()) task.failed(0, error, []);
      w.inflight.clear();
      w.items = 0;
    }
    while (this.#head < this.#queue.length) {
      const t = this.#queue[this.#head++];
      if (!t.cancelled) {
        t.cancelled = true;
        t.failed(0, error, []);
      }
    }
    this.#queuedItems = 0;
    this.#checkDrained();
    for (const resolve of this.#stopWaiters.splice(0)) resolve();
    this.#request?.cancel();
  }

  #checkDrained(): void {
    if (this.#queuedItems > 0 || this.#inflight() > 0) return;
    for (const resolve of this.#drainWaiters.splice(0)) resolve();
  }

  /** Resolves when no task is queued or in flight. */
  drained(): Promise<void> {
    if (this.#queuedItems <= 0 && this.#inflight() === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Cancels every task still queued; returns how many. */
  cancelQueued(): Task[] {
    const out: Task[] = [];
    while (this.#head < this.#queue.length) {
      const t = this.#queue[this.#head++];
      if (!t.cancelled) {
        t.cancelled = true;
        out.push(t);
      }
    }
    this.#queuedItems = 0;
    this.#checkDrained();
    return out;
  }

  #checkStopped(): void {
    if (!this.#stopping) return;
    if (this.workers.every((w) => w.stopped || !w.alive)) {
      for (const resolve of this.#stopWaiters.splice(0)) resolve();
    }
  }

  /** True when no task is queued or in flight: STOP may go out now. */
  get idle(): boolean {
    return this.#queuedItems <= 0 && this.#inflight() === 0;
  }

  /**
   * Waits for the queue to drain, then sends STOP to every worker and waits
   * for them. When the queue is already empty STOP goes out before this
   * returns, so the workers read it before anything sent later.
   */
  stop(): Promise<void> {
    if (this.#stopping)
      return new Promise((resolve) => {
        this.#stopWaiters.push(resolve);
        this.#checkStopped();
      });
    if (!this.idle) return this.drained().then(() => this.stop());
    this.#stopping = true;
    const done = new Promise<void>((resolve) => this.#stopWaiters.push(resolve));
    if (!this.#broken) {
      // A few bytes each: a blocking send completes eagerly, whatever the worker is doing.
      for (const w of this.workers) {
        if (!w.alive) continue;
        try {
          this.comm.send([Kind.Stop] satisfies ToWorker, w.rank, TASK_TAG);
        } catch (e) {
          this.#breakAll(`sending to rank ${w.rank} failed: ${String(e)}`);
        }
      }
      this.#pump();
      this.#watchLiveness();
      this.#checkStopped();
    } else {
      for (const resolve of this.#stopWaiters.splice(0)) resolve();
    }
    return done.then(() => {
      if (this.#liveness) {
        clearInterval(this.#liveness);
        this.#liveness = undefined;
      }
    });
  }
}

function remoteError(rank: number, task: Task, e: ErrorRecord): RemoteError {
  return new RemoteError({
    rank,
    name: e.name,
    message: e.message,
    stack: e.stack,
    command: task.f.name || '<anonymous>',
    seq: task.id ?? 0,
  });
}
