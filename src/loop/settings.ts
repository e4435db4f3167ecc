// The event loop's settings (pyMOR's event_loop_settings, plus the idle strategy).
// Rank 0's settings are authoritative: a worker adopts them at the loop's
// start-up collective (loopComms in state.ts), so a variable set only where
// rank 0 runs still reaches workers on hosts whose environment lacks it
// (mpirun starts remote daemons with a clean environment, as ssh does).

export interface EventLoopSettings {
  /** Ranks > 0 serve the loop instead of running the script under mpi-loop/register. */
  autoLaunch: boolean;
  /** How long an idle worker spins (polls without sleeping) after a command, in microseconds. */
  spinMicros: number;
  /** The longest a sleeping worker waits between polls, in microseconds (bounds the wake-up latency). */
  maxSleepMicros: number;
  /** How long quit() waits for every rank's last status, in seconds. */
  quitTimeout: number;
  /**
   * How long rank 0 may stay blocked in one MPI call after a rank failed in
   * the same command before the job is ended, in seconds (a collective that
   * completes anyway within it goes on).
   */
  failureGrace: number;
  /**
   * How long rank 0 and a worker may hear nothing from each other on their
   * side channel before the job ends, in seconds (0: no heartbeats). A
   * partitioned or lost host is detected within this time, whatever MPI is
   * doing. Workers take rank 0's value when the loop starts.
   */
  heartbeatTimeout: number;
}

import os from 'node:os';
import { oversubscribed } from '../mpi/host';

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name}=${v}: expected a non-negative number`);
  return n;
}

const defaults: EventLoopSettings = {
  autoLaunch: true,
  // More ranks than cores: a spinning worker would take CPU from the ranks doing work.
  spinMicros: oversubscribed ? 0 : 2000,
  maxSleepMicros: 1000,
  quitTimeout: 30,
  failureGrace: 1,
  heartbeatTimeout: 10,
};

/** The settings given on this rank (environment or eventLoopSettings()), as opposed to defaults. */
const given: Partial<EventLoopSettings> = {};
for (const [key, value] of [
  ['autoLaunch', process.env.MPI_LOOP_AUTO_LAUNCH === undefined ? undefined : process.env.MPI_LOOP_AUTO_LAUNCH !== '0'],
  ['spinMicros', envNumber('MPI_LOOP_SPIN_US')],
  ['maxSleepMicros', envNumber('MPI_LOOP_MAX_SLEEP_US')],
  ['quitTimeout', envNumber('MPI_LOOP_QUIT_TIMEOUT')],
  ['failureGrace', envNumber('MPI_LOOP_FAILURE_GRACE')],
  ['heartbeatTimeout', envNumber('MPI_LOOP_HEARTBEAT_TIMEOUT')],
] as const)
  if (value !== undefined) (given as Record<string, unknown>)[key] = value;

const current: EventLoopSettings = { ...defaults, ...given };

// Internal switches, read where rank 0's value must also win. Live bindings:
// importers see the value adopted from rank 0.
/** Whether workers open doorbells (MPI_LOOP_DOORBELL=0 turns them off). */
export let doorbellsEnabled = process.env.MPI_LOOP_DOORBELL !== '0';
/** Workers log every command on stderr (MPI_LOOP_DEBUG=1). */
export let debugCommands = process.env.MPI_LOOP_DEBUG === '1';
/** Rank 0's host name, once the loop has started (workers there may have a doorbell). */
export let rank0Host: string | undefined;
/**
 * How commands reach the workers (fanout.ts): true for the flat fan-out.
 * Rank 0 decides (sharedSettings) and every worker adopts its choice.
 */
export let fanoutFlat = false;
/**
 * Whether workers on rank 0's host read commands from the shared-memory
 * command ring (command-ring.ts). Rank 0 decides, as for fanoutFlat.
 */
export let commandRing = false;
/**
 * MPI_LOOP_FANOUT: "flat" or "tree" (over MPI to every worker, no ring), or
 * "ring" or unset: the ring on rank 0's host, and over MPI to the others
 * (settleFanout).
 */
const fanoutChoice = fanoutFromEnv(process.env.MPI_LOOP_FANOUT);

function fanoutFromEnv(v: string | undefined): 'ring' | 'tree' | 'flat' {
  if (v === undefined || v === '') return 'ring';
  if (v === 'ring' || v === 'tree' || v === 'flat') return v;
  throw new RangeError(`MPI_LOOP_FANOUT=${v}: expected "ring", "tree" or "flat"`);
}

/** Up to this many ranks served over MPI, rank 0 sends to every worker itself: a tree saves it at most one message. */
const FLAT_UP_TO = 4;

/**
 * @internal Once the command ring is made (every rank, alike): the ranks
 * served over MPI (rank 0 and the workers on other hosts) get the tree
 * unless they are few. Rank 0's host is not theirs, so whether it has more
 * ranks than cores (where a tree's hops wait for workers without a core, and
 * the flat fan-out measured faster) says nothing of them.
 */
export function settleFanout(mpiRanks: number): void {
  if (commandRing) fanoutFlat = mpiRanks <= FLAT_UP_TO;
}

const listeners: Array<(s: EventLoopSettings) => void> = [];

/** Reads, and with an argument changes, the event loop's settings. */
export function eventLoopSettings(settings: Partial<EventLoopSettings> = {}): EventLoopSettings {
  for (const [key, value] of Object.entries(settings)) {
    if (!(key in current)) throw new TypeError(`eventLoopSettings: unknown setting "${key}"`);
    const expected = typeof current[key as keyof EventLoopSettings];
    if (typeof value !== expected || (typeof value === 'number' && !(value >= 0))) {
      throw new TypeError(
        `eventLoopSettings: ${key} must be a ${expected === 'number' ? 'non-negative number' : expected}`,
      );
    }
  }
  Object.assign(given, settings);
  Object.assign(current, settings);
  for (const l of listeners) l(current);
  return { ...current };
}

/** @internal */
export function onSettingsChange(l: (s: EventLoopSettings) => void): void {
  listeners.push(l);
  l(current);
}

/** @internal */
export function settings(): Readonly<EventLoopSettings> {
  return current;
}

/** What rank 0 sends to every worker when the loop starts. */
export interface SharedSettings {
  given: Partial<EventLoopSettings>;
  doorbell: boolean;
  debug: boolean;
  host: string;
  flat: boolean;
  ring: boolean;
}

/** @internal Rank 0: the settings workers must adopt. */
export function sharedSettings(): SharedSettings {
  rank0Host = os.hostname();
  commandRing = fanoutChoice === 'ring';
  fanoutFlat = fanoutChoice === 'flat';
  return {
    given: { ...given },
    doorbell: doorbellsEnabled,
    debug: debugCommands,
    host: rank0Host,
    flat: fanoutFlat,
    ring: commandRing,
  };
}

/**
 * @internal Workers: rank 0's settings replace this rank's. What rank 0 left
 * unset takes this host's default (not this host's environment), so every
 * rank agrees; host facts such as oversubscription keep the local default.
 */
export function adoptSettings(shared: SharedSettings): void {
  for (const key of Object.keys(given) as Array<keyof EventLoopSettings>) delete given[key];
  // autoLaunch has already been applied by the preload; keep what this rank did.
  const { autoLaunch: _ignored, ...rest } = shared.given;
  Object.assign(given, rest);
  Object.assign(current, defaults, { autoLaunch: current.autoLaunch }, rest);
  doorbellsEnabled = shared.doorbell;
  debugCommands = shared.debug;
  rank0Host = shared.host;
  fanoutFlat = shared.flat;
  commandRing = shared.ring;
  for (const l of listeners) l(current);
}
