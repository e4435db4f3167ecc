// What the REPL's global scope holds from the start: the event loop's API by
// name, and the whole package as `mpi`.
import * as mpi from '../index';

/** The names pre-filled in the REPL, in the order `.help` lists them. */
export const contextNames = [
  'call', 'quit', 'comm', 'rank', 'size', 'mpiInfo',
  'functionCall', 'methodCall', 'functionCallManage', 'methodCallManage',
  'manageObject', 'getObject', 'removeObject',
] as const;

/**
 * Defines the names on globalThis (the REPL runs in the global context, so
 * values typed at the prompt are the same kind of object as everywhere else
 * and functions defined there can go to the other ranks by source).
 */
export function fillContext(): void {
  const g = globalThis as Record<string, unknown>;
  const api = mpi as unknown as Record<string, unknown>;
  for (const name of contextNames) {
    Object.defineProperty(g, name, { value: api[name], writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(g, 'mpi', { value: mpi, writable: true, configurable: true, enumerable: false });
}
