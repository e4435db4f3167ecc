// Sets of requests (mpi4py's Request.waitany, waitall, waitsome and their
// test forms) over any mix of value and buffer requests. As in MPI, null
// entries, REQUEST_NULL, persistent requests not started and requests whose
// completion was already reported are inactive: skipped, with the empty
// status. The wait forms sleep until a completion arrives from the poller;
// the test forms never block.
import { addon } from './environment';
import { MPIError } from './errors';
import { ERR_IN_STATUS } from './error-classes';
import type { Outcome, Request, RequestLike } from './request';
import { Status } from './status';

/** The values a set of requests resolves with, by position (undefined for null entries). */
export type RequestValues<R extends readonly RequestLike[]> = {
  -readonly [K in keyof R]: R[K] extends Request<infer T> ? T : undefined;
};

const UNDEFINED = (): number => addon().constants.UNDEFINED;

function active(requests: readonly RequestLike[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < requests.length; i++) if (requests[i]?.isActive()) out.push(i);
  return out;
}

function copyStatus(to: Status, from: Status | undefined): void {
  if (from) {
    to.source = from.source;
    to.tag = from.tag;
    to.count = from.count;
    to.error = from.error;
    to.cancelled = from.cancelled;
  } else {
    const C = addon().constants;
    Object.assign(to, { source: C.ANY_SOURCE, tag: C.ANY_TAG, count: 0, error: 0, cancelled: false });
  }
}

/** statuses[i] filled from the request (a new Status when the slot is empty). */
function statusAt(statuses: Status[] | undefined, i: number, from: Status | undefined): void {
  if (!statuses) return;
  statuses[i] ??= new Status();
  copyStatus(statuses[i], from);
}

/** Resolves when any of the requests at `indices` completes. */
function anyDone(requests: readonly RequestLike[], indices: number[]): Promise<void> {
  return new Promise((resolve) => {
    const stops: Array<() => void> = [];
    let fired = false;
    const fire = (): void => {
      if (fired) return;
      fired = true;
      for (const stop of stops) stop();
      resolve();
    };
    for (const i of indices) {
      stops.push((requests[i] as Request<unknown>).onDone(fire));
      if (fired) break;
    }
    if (fired) for (const stop of stops) stop();
  });
}

/** ERR_IN_STATUS naming each failure; `errors` holds them by index. */
function inStatus(failures: Map<number, Error>, total: number): MPIError {
  const list = [...failures].map(([i, e]) => `request ${i}: ${e.name}: ${e.message}`).join('; ');
  const error = new MPIError(`${failures.size} of ${total} requests failed (${list})`, ERR_IN_STATUS);
  const errors: Array<Error | undefined> = new Array<Error | undefined>(total).fill(undefined);
  for (const [i, e] of failures) errors[i] = e;
  error.errors = errors;
  return error;
}

/** Reports the completed requests at `indices`: their values, or ERR_IN_STATUS. */
function takeAll<V>(
  requests: readonly RequestLike[],
  indices: number[],
  statuses: Status[] | undefined,
  values: V[],
  at: (i: number) => number,
): void {
  const failures = new Map<number, Error>();
  for (const i of indices) {
    const r = requests[i] as Request<V>;
    const outcome: Outcome<V> = r.take();
    statusAt(statuses, i, r.status);
    if (outcome.ok) values[at(i)] = outcome.value;
    else failures.set(i, outcome.error);
  }
  if (failures.size > 0) throw inStatus(failures, requests.length);
}

export function testany<R extends readonly RequestLike[]>(
  requests: R,
  status?: Status,
): [number, boolean, RequestValues<R>[number] | undefined] {
  const indices = active(requests);
  for (const i of indices) {
    const r = requests[i] as Request<RequestValues<R>[number]>;
    if (!r.poll()) continue;
    const outcome = r.take();
    if (status) copyStatus(status, r.status);
    if (!outcome.ok) throw outcome.error;
    return [i, true, outcome.value];
  }
  if (indices.length === 0 && status) copyStatus(status, undefined);
  return [UNDEFINED(), indices.length === 0, undefined];
}

export async function waitany<R extends readonly RequestLike[]>(
  requests: R,
  status?: Status,
): Promise<[number, RequestValues<R>[number] | undefined]> {
  for (;;) {
    const [index, flag, value] = testany(requests, status);
    if (flag) return [index, value];
    await anyDone(requests, active(requests));
  }
}

export function testall<R extends readonly RequestLike[]>(
  requests: R,
  statuses?: Status[],
): [boolean, RequestValues<R> | undefined] {
  const indices = active(requests);
  // Poll every one (each poll progresses it), report none unless all are done.
  let all = true;
  for (const i of indices) if (!(requests[i] as Request<unknown>).poll()) all = false;
  if (!all) return [false, undefined];
  const values = new Array<unknown>(requests.length).fill(undefined) as RequestValues<R>;
  for (let i = 0; i < requests.length; i++) if (!indices.includes(i)) statusAt(statuses, i, undefined);
  takeAll(requests, indices, statuses, values as unknown[], (i) => i);
  return [true, values];
}

export async function waitall<R extends readonly RequestLike[]>(
  requests: R,
  statuses?: Status[],
): Promise<RequestValues<R>> {
  for (;;) {
    const [flag, values] = testall(requests, statuses);
    if (flag) return values as RequestValues<R>;
    const pending = active(requests).filter((i) => (requests[i] as Request<unknown>).isPending());
    await anyDone(requests, pending);
  }
}

export function testsome<R extends readonly RequestLike[]>(
  requests: R,
  statuses?: Status[],
): [number[] | undefined, Array<RequestValues<R>[number]> | undefined] {
  const indices = active(requests);
  if (indices.length === 0) return [undefined, undefined];
  const done = indices.filter((i) => (requests[i] as Request<unknown>).poll());
  const values: Array<RequestValues<R>[number]> = [];
  takeAll(requests, done, statuses, values, (i) => done.indexOf(i));
  return [done, values];
}

export async function waitsome<R extends readonly RequestLike[]>(
  requests: R,
  statuses?: Status[],
): Promise<[number[] | undefined, Array<RequestValues<R>[number]> | undefined]> {
  for (;;) {
    const [indices, values] = testsome(requests, statuses);
    if (indices === undefined || indices.length > 0) return [indices, values];
    await anyDone(requests, active(requests));
  }
}
