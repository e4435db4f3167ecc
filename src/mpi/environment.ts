// MPI's environment: the addon, initialisation on first use, finalisation at
// exit, and mpi4py's module-level functions.
import { writeSync } from 'node:fs';
import { inspect } from 'node:util';
import type { NativeAddon } from '../native/addon';
import { loadAddon, type LoadedAddon } from './addon-loader';
import { MPIError } from './errors';
import { yieldingWaits } from './host';
import { launcherFromEnv, worldMismatch } from './launcher';
import { applyRank0SharedMemoryDefaults } from './shared-memory-settings';

const loaded: LoadedAddon = loadAddon();
const N: NativeAddon = loaded.addon;

/** False only in the serial fallback (no MPI library could be loaded). */
export const available: boolean = loaded.origin !== 'serial fallback';
/** Where the native addon came from (what `mpi-loop info` shows); the addon itself stays internal. */
export interface AddonInfo {
  readonly origin: LoadedAddon['origin'];
  /** The .node file, when one was loaded. */
  readonly file?: string;
  /** Why the serial fallback is used. */
  readonly reason?: string;
  /** The MPI the addon was compiled against: "Open MPI", "MPICH", "MPI" (another), or "serial". */
  readonly implementation: string;
}
export const addonInfo: AddonInfo = Object.freeze({
  origin: loaded.origin,
  file: loaded.file,
  reason: loaded.reason,
  implementation: N.constants.IMPLEMENTATION,
});

/** The status record the native layer writes after receives, probes and tests. */
export const statusRecord = new Float64Array(5);

let threadLevel = -1;
let waitsYield = false;

/** Whether blocking calls wait by testing and yielding the core (host.ts's yieldingWaits), once MPI has started. */
export function blockingWaitsYield(): boolean {
  return waitsYield;
}
let crashing = false;
/** Why MPI could not start (launcher and library do not match): raised again by every later use. */
let startFailure: Error | undefined;

function threadLevelRequested(): number {
  const names: Record<string, number> = {
    single: N.constants.THREAD_SINGLE,
    funneled: N.constants.THREAD_FUNNELED,
    serialized: N.constants.THREAD_SERIALIZED,
    multiple: N.constants.THREAD_MULTIPLE,
  };
  const asked = process.env.MPI_LOOP_THREAD_LEVEL?.toLowerCase();
  return asked && asked in names ? names[asked] : N.constants.THREAD_FUNNELED;
}

/** The addon, with MPI initialised. Every MPI operation goes through here. */
export function native(): NativeAddon {
  if (threadLevel < 0) initialize();
  return N;
}

function initialize(): void {
  if (startFailure) throw startFailure;
  if (N.isFinalized()) throw new MPIError('MPI has already been finalized', 0);
  N.setErrorConstructor(MPIError);
  N.setStatusBuffer(statusRecord);
  waitsYield = yieldingWaits(N.constants.IMPLEMENTATION);
  applyRank0SharedMemoryDefaults(N.constants.IMPLEMENTATION);
  const provided = N.initialize(threadLevelRequested(), waitsYield);
  // Several ranks launched, one seen: each rank is a world of its own, and
  // would run the whole program alone. Stop here, on every rank.
  const mismatch = worldMismatch(N.commSize(0), N.constants.IMPLEMENTATION, launcherFromEnv());
  if (mismatch) {
    N.finalize();
    startFailure = new Error(mismatch);
    throw startFailure;
  }
  threadLevel = provided;
  process.on('uncaughtExceptionMonitor', onCrash);
  process.on('exit', onExit);
}

function worldSize(): number {
  return N.isInitialized() && !N.isFinalized() ? N.commSize(0) : 1;
}

// An uncaught exception ends the whole job at once (mpi4py's `-m mpi4py`):
// print it ourselves, synchronously, since MPI_Abort leaves Node no time to.
function onCrash(error: unknown, origin: string): void {
  if (process.listenerCount('uncaughtException') > 0) return; // the program handles it
  crashing = true;
  if (worldSize() <= 1) return; // one rank: Node reports it and exits as usual
  const what = origin === 'unhandledRejection' ? 'Unhandled rejection' : 'Uncaught exception';
  try {
    writeSync(2, `${what} on rank ${N.commRank(0)}; ending every rank:\n${inspect(error)}\n`);
  } catch {
    /* stderr is gone: abort anyway */
  }
  N.abort(0, 1);
}

const exitHooks: Array<() => number | void> = [];

/**
 * Runs `hook` at a clean exit, before MPI_Finalize (the event loop's quit()).
 * A hook returning a non-zero number turns the exit into a failure.
 */
export function beforeFinalize(hook: () => number | void): void {
  exitHooks.push(hook);
}

const finalizeHooks: Array<() => void> = [];

/**
 * Runs `hook` right before MPI_Finalize, whoever calls it (a clean exit or
 * finalize()): for work that must reach other ranks first.
 */
export function beforeMpiFinalize(hook: () => void): void {
  finalizeHooks.push(hook);
}

function finalizeNow(): void {
  for (const hook of finalizeHooks) hook();
  N.finalize();
}

// A clean exit finalises MPI. Any other exit aborts the whole job: the other
// ranks may be waiting for this one in a collective and would hang in
// MPI_Finalize (mpi4py's `-m mpi4py` behaviour, on by default).
function onExit(code: number): void {
  if (!N.isInitialized() || N.isFinalized()) return;
  if (!crashing && code === 0) {
    for (const hook of exitHooks.splice(0)) {
      const failed = hook();
      if (typeof failed === 'number' && failed !== 0) code = process.exitCode = failed;
    }
  }
  if (crashing || code !== 0) {
    // The other ranks may be waiting for this one: end them too. A lone rank just exits.
    if (worldSize() > 1) N.abort(0, code || 1);
    return;
  }
  finalizeNow();
}

/** The addon without initialising MPI (for constants and queries that need no init). */
export function addon(): NativeAddon {
  return N;
}

export const wtime = (): number => N.wtime();
export const wtick = (): number => N.wtick();
export const processorName = (): string => native().processorName();
export const libraryVersion = (): string => N.libraryVersion();
export const version = (): [number, number] => N.version();
export const isInitialized = (): boolean => N.isInitialized();
export const isFinalized = (): boolean => N.isFinalized();
/** The thread support level MPI provided (MPI_Query_thread). */
export const queryThread = (): number => native().queryThread();

/** MPI_Abort on COMM_WORLD: ends every rank of the job. */
export function abort(code = 1): never {
  if (!N.isInitialized() || N.isFinalized()) process.exit(code);
  return N.abort(0, code);
}

/** Finalises MPI now (normally done at exit). */
export function finalize(): void {
  if (N.isInitialized() && !N.isFinalized()) finalizeNow();
}
