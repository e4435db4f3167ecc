// A worker's side of the task protocol: receive batches of tasks from the
// master, run them (awaiting those that return Promises), send the results
// back in batches, until STOP. Used by the loop's ranks, CommExecutor's
// ranks and spawned workers alike.
import os from 'node:os';
import { type Comm, importModule, ModuleNotLoadedError } from '../index';
import {
  FAILED,
  FUNCTION_TAG,
  Kind,
  OK,
  RESULT_TAG,
  TASK_TAG,
  type ToMaster,
  type ToWorker,
  type WireResult,
  type WireTask,
  toErrorRecord,
} from './protocol';
import { isThenable } from '../util/thenable';

type AnyFunction = (...args: unknown[]) => unknown;

/** How long results may wait on the worker before they are sent, in ms. */
const FLUSH_MS = 2;

/** The ES module a received function needs and this rank has not imported (the decoder wraps the error). */
function missingModule(e: unknown): string | undefined {
  for (let x = e; x instanceof Error; x = x.cause) {
    if (x instanceof ModuleNotLoadedError) return x.moduleUrl;
  }
  return undefined;
}

class Server {
  readonly #fns = new Map<number, AnyFunction>();
  readonly #failedDefines = new Map<number, string>();
  #results: WireResult[] = [];
  #busy = 0;
  #items = 0;
  #lastFlush = Date.now();
  readonly #sends: Promise<void>[] = [];
  /** Functions whose message is being sent again (see NEED); task batches wait for them. */
  readonly #waitingFor = new Set<number>();
  #backlog: WireTask[][] = [];

  constructor(
    readonly comm: Comm,
    readonly master: number,
  ) {}

  #send(message: ToMaster): void {
    const p = this.comm
      .isend(message, this.master, RESULT_TAG)
      .wait()
      .catch(() => undefined);
    this.#sends.push(p);
    if (this.#sends.length > 64) this.#sends.splice(0, 32);
  }

  #flush(): void {
    if (this.#results.length === 0) return;
    this.#send([Kind.Results, this.#busy, this.#items, this.#results]);
    this.#results = [];
    this.#busy = 0;
    this.#items = 0;
    this.#lastFlush = Date.now();
  }

  async #run(task: WireTask): Promise<void> {
    const [taskId, fid, items, single] = task;
    const started = performance.now();
    const f = this.#fns.get(fid);
    const values: unknown[] = [];
    let i = 0;
    try {
      if (!f) throw new Error(this.#failedDefines.get(fid) ?? `function #${fid} never reached this worker`);
      for (; i < items.length; i++) {
        let v = single ? f(items[i]) : f(...(items[i] as unknown[]));
        if (isThenable(v)) v = await v;
        values.push(v);
      }
      this.#results.push([taskId, OK, values]);
    } catch (e) {
      this.#results.push([taskId, FAILED, i, toErrorRecord(e), values]);
    }
    this.#busy += performance.now() - started;
    this.#items += items.length;
    if (Date.now() - this.#lastFlush >= FLUSH_MS) this.#flush();
  }

  // A task that returns a Promise is awaited before the next one starts, so
  // results come back in the order tasks were sent to this worker.
  async #runBatch(tasks: WireTask[]): Promise<void> {
    for (const task of tasks) {
      const p = this.#run(task);
      await p;
    }
  }

  async #define(fid: number, name: string): Promise<void> {
    try {
      const f = await this.comm.irecv<unknown>(this.master, FUNCTION_TAG).wait();
      if (typeof f !== 'function') throw new TypeError(`"${name}" is not a function on this worker`);
      this.#fns.set(fid, f as AnyFunction);
      this.#failedDefines.delete(fid);
      this.#waitingFor.delete(fid);
    } catch (e) {
      const missing = missingModule(e);
      if (missing && !this.#failedDefines.has(fid)) {
        this.#failedDefines.set(fid, (e as Error).message);
        try {
          await importModule(missing);
          this.#waitingFor.add(fid);
          this.#send([Kind.Need, fid]);
          return;
        } catch {
          /* fall through: the tasks fail with the original message */
        }
      }
      this.#failedDefines.set(fid, `function "${name}" could not be received: ${(e as Error).message}`);
      this.#waitingFor.delete(fid);
    }
  }

  async serve(): Promise<void> {
    this.#send([Kind.Hello, process.pid, os.hostname()]);
    for (;;) {
      const message = await this.comm.irecv<ToWorker>(this.master, TASK_TAG).wait();
      switch (message[0]) {
        case Kind.Define:
          await this.#define(message[1], message[2]);
          if (this.#waitingFor.size === 0 && this.#backlog.length > 0) {
            const backlog = this.#backlog;
            this.#backlog = [];
            for (const tasks of backlog) await this.#runBatch(tasks);
            this.#flush();
          }
          break;
        case Kind.Tasks:
          if (this.#waitingFor.size > 0) {
            this.#backlog.push(message[1]);
            break;
          }
          await this.#runBatch(message[1]);
          this.#flush();
          break;
        case Kind.Stop:
          this.#flush();
          this.#send([Kind.Stopped]);
          await Promise.allSettled(this.#sends);
          return;
        default:
          throw new Error(`mpi-loop/futures: unknown message ${JSON.stringify(message).slice(0, 100)}`);
      }
    }
  }
}

/** Serves tasks from `master` on `comm` until it sends STOP. */
export function serveTasks(comm: Comm, master: number): Promise<void> {
  return new Server(comm, master).serve();
}
