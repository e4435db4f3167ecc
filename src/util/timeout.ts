// The error every API that takes a timeout rejects with when it runs out.

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Settles like p, or rejects with TimeoutError(message) once `seconds` have passed. */
export function rejectAfter<T>(p: Promise<T>, seconds: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(message)), Math.max(0, seconds * 1000));
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Settles like p, or rejects with TimeoutError(`${what}: ...`) after `seconds` (no limit when not positive or ≥ 1e6). */
export function withTimeout<T>(p: Promise<T>, seconds: number, what: string): Promise<T> {
  if (!(seconds > 0) || seconds >= 1e6) return p;
  return rejectAfter(p, seconds, `${what}: the operation did not finish within ${seconds} s`);
}
