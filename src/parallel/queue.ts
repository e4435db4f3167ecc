// Rank 0 runs pool and proxy operations one at a time, in the order they were
// asked for. The workers run commands strictly in sequence, so an operation
// may start on rank 0 only when the one before it has finished there too (an
// asynchronous one included); otherwise rank 0 would enter a collective of the
// second while the workers are still in the first.
import { isThenable } from '../util/thenable';

let pending = 0;
let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs op after every operation queued before it. When nothing is pending it
 * runs at once (the common case: no extra turn of the microtask queue before
 * the command goes out). Always returns a Promise.
 */
export function enqueue<R>(op: () => R): Promise<Awaited<R>> {
  if (pending === 0) {
    let result: R;
    try {
      result = op();
    } catch (e) {
      return Promise.reject(e);
    }
    if (!isThenable(result)) return Promise.resolve(result as Awaited<R>);
    return track(Promise.resolve(result) as Promise<Awaited<R>>);
  }
  return track(tail.then(op) as Promise<Awaited<R>>);
}

function track<T>(p: Promise<T>): Promise<T> {
  pending++;
  const settled = p.then(
    () => {
      pending--;
    },
    () => {
      pending--;
    },
  );
  tail = settled;
  return p;
}
