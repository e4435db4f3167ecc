// The functions the REPL's commands run on every rank with call(). They are
// exported by this module, so they reach the other ranks by reference (each
// rank requires this file) and may use anything a module can.
import { hostname } from 'node:os';
import { inspect, stripVTControlCharacters } from 'node:util';
import vm from 'node:vm';
import { comm, processorName, rank } from '../index';
import { fillContext } from './context';
import { isThenable } from '../util/thenable';

/** One rank's answer to `.px`. */
export interface PxRecord {
  rank: number;
  /** What the code printed on stdout and stderr while it ran. */
  output: string;
  /** The value (inspected), or the error it threw. */
  value: string;
  failed: boolean;
  /** The value was undefined (not printed when there was output). */
  undefinedValue: boolean;
}

/** One rank's line in `.ranks`. */
export interface RankRecord {
  rank: number;
  host: string;
  processor: string;
  pid: number;
}

type Write = typeof process.stdout.write;

/** Captures what this rank writes to stdout and stderr until the returned function is called. */
function captureOutput(chunks: string[]): () => void {
  const streams = [process.stdout, process.stderr];
  const saved = streams.map((s) => s.write);
  for (const s of streams) {
    s.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as Write;
  }
  return () =>
    streams.forEach((s, i) => {
      s.write = saved[i];
    });
}

/**
 * Compiles `.px` code in this rank's global scope. Code using `await` runs
 * inside an async function (as an expression if it is one), so its
 * declarations stay local to that run.
 */
function compile(code: string): vm.Script {
  const filename = '[px]';
  try {
    return new vm.Script(code, { filename });
  } catch (e) {
    if (!(e instanceof SyntaxError) || !/\bawait\b/.test(code)) throw e;
  }
  try {
    return new vm.Script(`(async () => (${code}\n))()`, { filename });
  } catch {
    return new vm.Script(`(async () => {${code}\n})()`, { filename });
  }
}

/** Runs `.px` code on this rank and gathers every rank's record to rank 0 (undefined on the other ranks). */
export async function pxRun(code: string, colors: boolean): Promise<PxRecord[] | undefined> {
  // The code sees the REPL's names (rank, size, comm, ...) on every rank.
  if (!('mpi' in globalThis)) fillContext();
  const chunks: string[] = [];
  const restore = captureOutput(chunks);
  let record: PxRecord;
  try {
    let value = compile(code).runInThisContext();
    if (isThenable(value)) value = await value;
    record = {
      rank,
      output: '',
      value: inspect(value, { colors }),
      failed: false,
      undefinedValue: value === undefined,
    };
  } catch (e) {
    const text = e instanceof Error ? `${e.name}: ${e.message}` : `Uncaught ${inspect(e, { colors })}`;
    record = { rank, output: '', value: text, failed: true, undefinedValue: false };
  } finally {
    restore();
  }
  // Console output takes colours from this rank's stdout; the session may have none.
  record.output = colors ? chunks.join('') : stripVTControlCharacters(chunks.join(''));
  return comm.gather(record, 0) as PxRecord[] | undefined;
}

/** Gathers every rank's host and process id to rank 0 (undefined on the other ranks). */
export function rankInfo(): RankRecord[] | undefined {
  return comm.gather({ rank, host: hostname(), processor: processorName(), pid: process.pid }, 0) as
    RankRecord[] | undefined;
}
