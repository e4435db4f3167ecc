// The two ends of the failure watchdog (src/native/watchdog.h). Rank 0 starts
// it when it starts driving the loop and sends its address to the workers in
// a Watchdog command; a worker whose command throws sends a notice with the
// formatted error right after posting its error record. The notice matters
// only while rank 0 is blocked in MPI with the failed rank: then rank 0 prints
// it and ends the job. Otherwise it is dropped, and the record reaches rank 0
// as a RemoteError at the next call().
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
  onSettingsChange((s) => native().watchdogSetGrace(s.failureGrace));
  address = { host: os.hostname(), addresses: ipv4Addresses(), port, token };
  return address;
}

/** Rank 0: every command up to `seq` has finished here. */
export function commandsSettled(seq: number): void {
  if (running) native().watchdogSettled(seq);
}

/** Workers: where to send notices. */
export function useWatchdog(a: WatchdogAddress): void {
  address = a;
}

/** Workers: tells rank 0's watchdog that command `record.seq` failed here. */
export function notifyWatchdog(record: RemoteErrorRecord): void {
  if (!address) return;
  const hosts = address.host === os.hostname() ? ['127.0.0.1', ...address.addresses] : address.addresses;
  try {
    native().watchdogNotify(hosts, address.port, address.token, record.seq, fatalReport(record), NOTIFY_TIMEOUT_MS);
  } catch {
    // Best effort: the error record is on its way over MPI regardless.
  }
}
