// The event loop's settings (pyMOR's event_loop_settings, plus the idle strategy).

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
}

import os from 'node:os';

/**
 * More ranks on this host than cores: a spinning worker would only take CPU
 * from the ranks doing work, so workers go straight to the sleeping poll.
 */
export const oversubscribed: boolean =
  // The host's cores, not availableParallelism(): mpirun binds each rank to one core.
  Number(process.env.OMPI_COMM_WORLD_LOCAL_SIZE ?? process.env.MPI_LOCALNRANKS ?? 1) > os.cpus().length;

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name}=${v}: expected a non-negative number`);
  return n;
}

const current: EventLoopSettings = {
  autoLaunch: process.env.MPI_LOOP_AUTO_LAUNCH !== '0',
  spinMicros: envNumber('MPI_LOOP_SPIN_US', oversubscribed ? 0 : 2000),
  maxSleepMicros: envNumber('MPI_LOOP_MAX_SLEEP_US', 1000),
  quitTimeout: envNumber('MPI_LOOP_QUIT_TIMEOUT', 30),
  failureGrace: envNumber('MPI_LOOP_FAILURE_GRACE', 1),
};

const listeners: Array<(s: EventLoopSettings) => void> = [];

/** Reads, and with an argument changes, the event loop's settings. */
export function eventLoopSettings(settings: Partial<EventLoopSettings> = {}): EventLoopSettings {
  for (const [key, value] of Object.entries(settings)) {
    if (!(key in current)) throw new TypeError(`eventLoopSettings: unknown setting "${key}"`);
    const expected = typeof current[key as keyof EventLoopSettings];
    if (typeof value !== expected || (typeof value === 'number' && !(value >= 0))) {
      throw new TypeError(`eventLoopSettings: ${key} must be a ${expected === 'number' ? 'non-negative number' : expected}`);
    }
  }
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
