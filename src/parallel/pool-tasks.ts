// The functions WorkerPool runs on every rank with call() (pyMOR's
// _worker_call_function and _worker_map_function). They are exported so that
// they go to the other ranks by reference. Each catches what the user's
// function throws and sends it to rank 0 as a record, so a failing task never
// leaves a rank waiting in a collective and the pool stays usable.
import { comm, getObject, ObjectId, rank, rank0 } from '../loop/index';
import type { Comm } from '../mpi/index';
import { isThenable } from '../util/thenable';
import { errorInfo, gatherOutcome, type Outcome, sendOutcome } from './outcome';

type Task = (...args: unknown[]) => unknown;

/** The tag of applyOnly's reply on the pool's communicator. */
const REPLY_TAG = 1;

let poolComm: Comm | undefined;
/** Rank 0 only: the chunks of the next map, so that each travels only to its rank. */
let mapChunks: MapChunk[] | undefined;

export interface MapChunk {
  /** Index of the chunk's first item in the input. */
  start: number;
  /** One argument list per item. */
  items: unknown[][];
}

/** The pools' own communicator (a dup of the loop's), so their messages never meet the user's. */
function pc(): Comm {
  if (!poolComm)
    throw new Error('WorkerPool: the pool communicator is missing on this rank (construct a WorkerPool first)');
  return poolComm;
}

/** Top-level ObjectId arguments (pushObject handles, proxies) become this rank's objects. */
function resolve(args: unknown[]): unknown[] {
  return args.map((a) => (a instanceof ObjectId ? getObject(a) : a));
}

/** Runs f on this rank; the outcome, or a Promise of it when f is asynchronous. */
export function attempt(f: Task, args: unknown[], item?: number): Outcome | Promise<Outcome> {
  const failed = (e: unknown): Outcome => (item === undefined ? { e: errorInfo(e) } : { e: errorInfo(e), item });
  try {
    const v = f(...resolve(args));
    if (isThenable(v)) return Promise.resolve(v).then((value) => ({ v: value }), failed);
    return { v };
  } catch (e) {
    return failed(e);
  }
}

/** Creates the pool communicator on every rank (once per process). */
export function poolSetup(): void {
  poolComm ??= comm.dup();
}

/** Identity: pushObject manages what it returns on every rank. */
export function poolPush<T>(obj: T): T {
  return obj;
}

/** apply: runs f on every rank; rank 0 gets every rank's outcome, in rank order. */
export function poolApply(f: Task, args: unknown[]): Outcome[] | undefined | Promise<Outcome[] | undefined> {
  const outcome = attempt(f, args);
  if (outcome instanceof Promise) return outcome.then((o) => gatherOutcome(pc(), o));
  return gatherOutcome(pc(), outcome);
}

/** applyOnly: runs f on one rank other than 0, which sends its outcome to rank 0. */
export function poolApplyOnly(f: Task, target: number, args: unknown[]): Promise<Outcome> | undefined {
  if (rank0) return pc().irecv(target, REPLY_TAG).wait() as Promise<Outcome>;
  if (rank !== target) return undefined;
  const outcome = attempt(f, args);
  if (outcome instanceof Promise)
    return outcome.then((o) => {
      sendOutcome(pc(), o, REPLY_TAG);
      return o;
    });
  sendOutcome(pc(), outcome, REPLY_TAG);
  return undefined;
}

/** Rank 0: the chunks the next poolMap scatters. */
export function stageMapChunks(chunks: MapChunk[]): void {
  mapChunks = chunks;
}

/** Runs the items of a chunk in order, stopping at the first failure. */
function runChunk(f: Task, chunk: MapChunk): Outcome | Promise<Outcome> {
  const values: unknown[] = [];
  for (let k = 0; k < chunk.items.length; k++) {
    const o = attempt(f, chunk.items[k], chunk.start + k);
    if (o instanceof Promise) return o.then((first) => finishAsync(f, chunk, k, first, values));
    if ('e' in o) return o;
    values.push(o.v);
  }
  return { v: values };
}

async function finishAsync(f: Task, chunk: MapChunk, k: number, first: Outcome, values: unknown[]): Promise<Outcome> {
  let o = first;
  for (;;) {
    if ('e' in o) return o;
    values.push(o.v);
    if (++k >= chunk.items.length) return { v: values };
    o = await attempt(f, chunk.items[k], chunk.start + k);
  }
}

/** map: scatters the staged chunks, runs each rank's, gathers the outcomes on rank 0. */
export function poolMap(f: Task): Outcome[] | undefined | Promise<Outcome[] | undefined> {
  let chunks: MapChunk[] | undefined;
  if (rank0) {
    chunks = mapChunks;
    mapChunks = undefined;
  }
  const mine = pc().scatter(chunks, 0) as MapChunk;
  const outcome = runChunk(f, mine);
  if (outcome instanceof Promise) return outcome.then((o) => gatherOutcome(pc(), o));
  return gatherOutcome(pc(), outcome);
}
