// The two ends of the failure watchdog (src/native/watchdog.h). Rank 0 starts
// it when it starts driving the loop and sends its address to the workers in
// a Watchdog command; a worker whose command throws sends a notice with the
// formatted error right after posting its error record. The notice matters
// only while rank 0 is blocked in MPI with the failed rank: then rank 0 prints
// it and ends the job. Otherwise it is dropped, and the record reaches rank 0
// as a RemoteError at the next call().
//
// The same port carries each worker's link (src/native/heartbeat.h): the
// worker opens it on the Watchdog command, and from then on both ends send
// heartbeats from a thread, so a partitioned or lost host ends the job within
// heartbeatTimeout, and rank 0 rings sleeping workers on other hosts over it.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { native } from '../mpi/environment';
import { fatalReport, type RemoteErrorRecord } from './remote-error';
import { onSettingsChange, settings } from './settings';

/** Where workers send notices: rank 0's host, its IPv4 addresses, the port, and a token. */
export interface WatchdogAddress {
  host: string;
  addresses: string[];
  port: number;
  token: string;
}

/** A notice is sent synchronously by a failing worker: never wait longer than this for it. */
const NOTIFY_TIMEOUT_MS = 2000;

// Rank 0: its own address; workers: rank 0's.
let address: WatchdogAddress | null = null;
let running = false;

function ipv4Addresses(): string[] {
  const found = Object.values(os.networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
  // The host name last: resolving it may be slow where DNS is.
  return [...found, os.hostname()];
}

/** Rank 0: starts the watchdog (once); null, with a warning, when it cannot listen. */
export function startWatchdog(): WatchdogAddress | null {
  if (address) return address;
  const token = randomBytes(16).toString('hex');
  let port: number;
  try {
    port = native().watchdogStart(token, settings().failureGrace);
  } catch (e) {
    process.emitWarning(
      `mpi-loop: no failure watchdog (${(e as Error).message}): a rank failing ` +
        'while rank 0 waits for it in a collective will hang the job',
    );
    return null;
  }
  running = true;
  onSettingsChange((s) => {
    native().watchdogSetGrace(s.failureGrace);
    native().heartbeatSetTimeout(s.heartbeatTimeout);
  });
  address = { host: os.hostname(), addresses: ipv4Addresses(), port, token };
  return address;
}

/** Rank 0: every command up to `seq` has finished here. */
export function commandsSettled(seq: number): void {
  if (running) native().watchdogSettled(seq);
}

/** rank 0's addresses as seen from this host: loopback first on its own host. */
function rank0Addresses(a: WatchdogAddress): string[] {
  return a.host === os.hostname() ? ['127.0.0.1', ...a.addresses] : a.addresses;
}

/**
 * Workers: where to send notices; opens this rank's link to rank 0. `onRing`
 * is given when rank 0 must ring this worker over the link (another host
 * than rank 0's); it runs at rank 0's first answer and at every ring.
 */
export function useWatchdog(a: WatchdogAddress, rank: number, onRing: (() => void) | null): void {
  address = a;
  const N = native();
  N.heartbeatSetTimeout(settings().heartbeatTimeout);
  const linked = N.lifelineStart(
    rank0Addresses(a),
    a.port,
    a.token,
    rank,
    onRing !== null,
    os.hostname(),
    a.host,
    onRing ?? (() => {}),
  );
  if (!linked && settings().heartbeatTimeout > 0) {
    process.emitWarning(
      `mpi-loop: rank ${rank} on ${os.hostname()} cannot reach rank 0 on ${a.host} (port ${a.port}): ` +
        'no heartbeats, so a lost network to it would not end this rank',
    );
  }
}

/** Workers: the loop has ended (quit): rank 0 no longer hears from this rank. */
export function dropLifeline(): void {
  native().lifelineStop();
}

/** Workers: tells rank 0's watchdog that command `record.seq` failed here. */
export function notifyWatchdog(record: RemoteErrorRecord): void {
  if (!address) return;
  try {
    native().watchdogNotify(
      rank0Addresses(address),
      address.port,
      address.token,
      record.seq,
      fatalReport(record),
      NOTIFY_TIMEOUT_MS,
    );
  } catch {
    // Best effort: the error record is on its way over MPI regardless.
  }
}
