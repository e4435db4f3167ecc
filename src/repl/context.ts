// What the REPL's global scope holds from the start: the event loop's API by
// name, and the whole package as `mpi`.
import * as mpi from '../index';
import { asyncCallRunning } from '../loop/lease';

/** The names pre-filled in the REPL, in the order `.help` lists them. */
export const contextNames = [
  'call',
  'quit',
  'comm',
  'rank',
  'size',
  'mpiInfo',
  'functionCall',
  'methodCall',
  'functionCallManage',
  'methodCallManage',
  'manageObject',
  'getObject',
  'removeObject',
] as const;

/**
 * call(), refusing to start while an earlier asynchronous call still runs:
 * Ctrl-C gives the prompt back while the ranks go on with the interrupted
 * input, and a second call's collectives would then interleave with the
 * first's on rank 0. The loop counts the asynchronous calls still running.
 */
const call: typeof mpi.call = (f, ...args) => {
  if (asyncCallRunning()) {
    throw new Error(
      'call: the previous call is still running on the ranks (interrupted with Ctrl-C?); ' +
        'try again when it has finished',
    );
  }
  return mpi.call(f, ...args);
};

/** The REPL's call(), for its own commands (.px, .ranks). */
export { call as replCall };

/**
 * Defines the names on globalThis (the REPL runs in the global context, so
 * values typed at the prompt are the same kind of object as everywhere else
 * and functions defined there can go to the other ranks by source). On rank 0
 * `quit` is given by the REPL: it quits every rank and leaves.
 */
export function fillContext(quit?: () => void): void {
  const g = globalThis as Record<string, unknown>;
  const api: Record<string, unknown> = { ...(mpi as unknown as Record<string, unknown>), call };
  if (quit) api.quit = quit;
  for (const name of contextNames) {
    Object.defineProperty(g, name, { value: api[name], writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(g, 'mpi', { value: mpi, writable: true, configurable: true, enumerable: false });
}
