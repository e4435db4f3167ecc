// The workers' side of the loop (ranks > 0): take a command from the command
// ring (command-ring.ts) or receive it from the parent in the fan-out tree
// (fanout.ts), pass it on to the children, run it, report
// failures to rank 0, repeat until Quit. Commands that arrive back to back are
// taken synchronously after a short spin; when none is waiting, the wait moves
// to the native poller, which keeps Node's event loop running (timers, I/O,
// Promises) and backs off from spinning to sleeping, so an idle worker costs
// almost no CPU.
import { encode } from '../mpi/codec';
import { blockingWaitsYield, finalize, native } from '../mpi/environment';
import { sendMessage, sendMessageToEach } from '../mpi/object-p2p';
import { recvDetached, sendDetached } from '../mpi/detached-buffers';
import type { Detached } from '../mpi/codec';
import { Request } from '../mpi/request';
import { functionName, importModules, resolveRef } from './function-refs';
import { commandViewsMessage, decodeCommand, type Header, Kind } from './protocol';
import { fanoutChildren, fanoutParent } from './fanout';
import { closeCommandRing, readsRing, sleepUntilCommand, takeCommand } from './command-ring';
import { applyRemovals, clearObjects, managedIds, objectIdFor, registerClassLocally } from './registry';
import { toRecord } from './remote-error';
import { dropLifeline, notifyWatchdog, useWatchdog } from './watchdog';
import { isThenable } from '../util/thenable';
import {
  DEEP_AFTER_MS,
  DEEP_POLL_MICROS,
  doorbellsEnabled,
  onRank0Host,
  openWorkerDoorbell,
  ringChildrenIfIdle,
  useChildBells,
  type WorkerDoorbell,
} from './doorbell';
import { oversubscribed } from '../mpi/host';
import { debugCommands, onSettingsChange, settings } from './settings';
import { COMMAND_TAG, DOORBELL_TAG, ERROR_TAG, FINAL_TAG, loopComms, rank, rank0, size, state } from './state';
import type { StatusMessage } from './call';

/**
 * How long a worker spins synchronously for the next command before yielding
 * to Node. With more ranks than cores it spins longer, counted in its own CPU
 * time, and gives its core away between probes (or lets the MPI do so, as
 * Open MPI does when told of the oversubscription: blockingWaitsYield), so
 * the rank that will send the next command runs; a timed sleep in the poller
 * would add its period to every command of a solver's iteration.
 */
const SYNC_SPIN_MICROS = oversubscribed ? 2000 : 50;
/** How long back-to-back synchronous commands may hold Node's event loop before it gets a turn. */
const YIELD_AFTER_MS = 5;

function sendStatus(message: StatusMessage, tag: number): void {
  sendMessage(loopComms().status, encode(message, { root: 'status', reuse: true }).parts, 0, tag);
}

function report(e: unknown, command: string, seq: number): void {
  const record = toRecord(e, rank, command, seq);
  try {
    sendStatus({ k: 'e', ...record }, ERROR_TAG);
  } catch {
    // The error itself could not be encoded: send its text.
    sendStatus({ k: 'e', ...record, message: String(record.message), stack: String(record.stack) }, ERROR_TAG);
  }
  // After the record, so that a rank 0 that is not blocked raises it from there.
  notifyWatchdog(record);
}

function commandName(header: Header): string {
  switch (header.k) {
    case Kind.Call: {
      const f = header.f;
      if (typeof f === 'object') return f.nm;
      try {
        return functionName(resolveRef(f!));
      } catch {
        return `function #${String(f)}`;
      }
    }
    case Kind.Load:
      return 'import';
    case Kind.Classes:
      return 'registerClass';
    case Kind.Watchdog:
      return 'watchdog';
    default:
      return 'quit';
  }
}

// The fan-out tree (fanout.ts): where commands come from and go to, known
// once the loop's start-up collective has given every rank rank 0's settings.
let parent = 0;
let children = new Int32Array(0);
let commandShadow = -1;

/**
 * Passes a command on to this worker's children before it runs here; its
 * large arguments follow (relayDetached). Blocking sends: a command below the
 * eager limit is buffered at once, and a larger one, like the large
 * arguments, must not be written to by the command (its typed arrays are
 * views of this memory) before the children have it; rank 0 waits for its
 * own children in the same way.
 */
function relay(message: Uint8Array): void {
  if (children.length === 0) return;
  ringChildrenIfIdle();
  sendMessageToEach(loopComms().command, [message], children, COMMAND_TAG);
}

/** Receives the large arguments that follow a command (protocol.ts) and passes them on to the children. */
function relayDetached(args: Uint8Array): Detached | null {
  const detached = recvDetached(commandShadow, args, parent, COMMAND_TAG);
  if (detached !== null && children.length > 0) sendDetached(commandShadow, detached.bytes, children, COMMAND_TAG);
  return detached;
}

/** Runs one command; true when it was Quit. A Promise when the command is asynchronous. */
function execute(message: Uint8Array): boolean | Promise<boolean> {
  let header: Header | undefined;
  try {
    relay(message);
    const decoded = decodeCommand(message, relayDetached);
    header = decoded.header;
    if (debugCommands)
      process.stderr.write(`mpi-loop[rank ${rank}]: command ${JSON.stringify(header).slice(0, 200)}\n`);
    if (header.k === Kind.Call || header.k === Kind.Quit) state.seq++;
    const seq = state.seq;
    if (header.r) applyRemovals(header.r);
    switch (header.k) {
      case Kind.Call: {
        const args = decoded.args;
        for (const [i, ref] of header.x ?? []) args[i] = resolveRef(ref);
        for (const i of header.o ?? []) args[i] = objectIdFor(args[i] as number, false);
        const f = resolveRef(header.f!) as (...a: unknown[]) => unknown;
        const result = f(...args);
        if (!isThenable(result)) return false;
        const h = header;
        return Promise.resolve(result).then(
          () => false,
          (e: unknown) => {
            report(e, commandName(h), seq);
            return false;
          },
        );
      }
      case Kind.Load: {
        return importModules(header.u ?? []).then(
          () => false,
          (e: unknown) => {
            report(e, 'import', seq);
            return false;
          },
        );
      }
      case Kind.Classes:
        for (const [name, ref] of header.cl ?? []) registerClassLocally(resolveRef(ref), name);
        return false;
      case Kind.Watchdog: {
        // Rank 0 rings a worker on another host over the link.
        const bell = doorbell;
        if (header.w) useWatchdog(header.w, rank, bell && !onRank0Host() ? () => bell.rung() : null);
        if (header.b) useChildBells(header.b, rank, children);
        return false;
      }
      case Kind.Quit: {
        // Before the final status: rank 0 may close its end once it has them all.
        dropLifeline();
        const managed = managedIds().length;
        clearObjects();
        sendStatus({ k: 'f', rank, managed }, FINAL_TAG);
        return true;
      }
      default:
        throw new Error(`unknown command kind ${String((header as Header).k)}`);
    }
  } catch (e) {
    report(e, header ? commandName(header) : 'decode', state.seq);
    return false;
  }
}

function nextCommand(): Promise<Uint8Array> {
  const h = loopComms().command;
  return new Request<Uint8Array>(native().iprobeRecv(h, parent, COMMAND_TAG), (data) => new Uint8Array(data!)).wait();
}

/**
 * Commands are received into this memory when they fit, which spares each an
 * allocation (with many ranks on few cores, a worker's cost per command is
 * what bounds the rate of calls); one whose decoded arguments would be views
 * of it is copied out first.
 */
const commandScratch = new Uint8Array(8192);

/** The next command if one arrives within the synchronous spin, else null. */
function spinForCommand(h: number): Uint8Array | null {
  if (readsRing()) return fromRing(h, SYNC_SPIN_MICROS);
  const received = native().tryProbeRecv(
    h,
    parent,
    COMMAND_TAG,
    SYNC_SPIN_MICROS,
    oversubscribed,
    commandScratch,
    blockingWaitsYield(),
  );
  if (received === null) return null;
  if (typeof received !== 'number') return new Uint8Array(received);
  const message = commandScratch.subarray(0, received);
  return commandViewsMessage(message) ? message.slice() : message;
}

/** The next command from the ring (command-ring.ts), or from MPI where its slot says so. */
function fromRing(h: number, spinMicros: number): Uint8Array | null {
  const taken = takeCommand(spinMicros, commandScratch);
  if (taken === null) return null;
  if (taken === 'mpi') return new Uint8Array(native().probeRecv(h, parent, COMMAND_TAG));
  return commandViewsMessage(taken) ? taken.slice() : taken;
}

/** Sleeps until rank 0 wakes this worker for its next command (command-ring.ts). */
async function nextRingCommand(h: number): Promise<Uint8Array> {
  for (;;) {
    await sleepUntilCommand();
    const message = fromRing(h, 0);
    if (message !== null) return message;
  }
}

const yieldToNode = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// Deep sleep (see doorbell.ts): after DEEP_AFTER_MS without a command, a
// worker whose doorbell rank 0 has connected polls only every DEEP_POLL_MICROS.
let doorbell: WorkerDoorbell | null = null;
let waiting = false;
let deep = false;
let deepTimer: NodeJS.Timeout | undefined;

function wake(): void {
  if (deepTimer) {
    clearTimeout(deepTimer);
    deepTimer = undefined;
  }
  if (!deep) return;
  deep = false;
  native().setPollPolicy(settings().spinMicros, settings().maxSleepMicros);
}

function armDeepSleep(): void {
  if (!doorbell?.connected() || deepTimer || deep) return;
  deepTimer = setTimeout(() => {
    deepTimer = undefined;
    deep = true;
    native().setPollPolicy(settings().spinMicros, DEEP_POLL_MICROS);
  }, DEEP_AFTER_MS);
  deepTimer.unref();
}

/** Serves commands from rank 0 until quit() (pyMOR's event_loop). Ranks > 0 only. */
export async function eventLoop(): Promise<void> {
  if (rank0) throw new Error('eventLoop() runs on ranks > 0; rank 0 drives the loop with call()');
  if (state.running) throw new Error('eventLoop(): the event loop is already running on this rank');
  state.running = true;
  const N = native();
  const h = loopComms().command;
  parent = fanoutParent(rank);
  children = Int32Array.from(fanoutChildren(rank, size));
  commandShadow = N.commShadow(h);
  onSettingsChange((s) => N.setPollPolicy(s.spinMicros, s.maxSleepMicros));
  if (doorbellsEnabled) {
    doorbell = openWorkerDoorbell(rank, wake, () => {
      if (waiting) armDeepSleep();
    });
    // Announced even when rank 0 cannot signal this worker (pid 0): rank 0 waits for every announcement.
    sendStatus(doorbell.announcement, DOORBELL_TAG);
  }
  try {
    let turnStart = Date.now();
    for (;;) {
      let message = spinForCommand(h);
      if (message === null) {
        waiting = true;
        armDeepSleep();
        message = readsRing() ? await nextRingCommand(h) : await nextCommand();
        waiting = false;
        wake();
        turnStart = Date.now();
      }
      let done = execute(message);
      if (typeof done !== 'boolean') {
        done = await done;
        turnStart = Date.now();
      }
      if (done) break;
      if (Date.now() - turnStart > YIELD_AFTER_MS) {
        await yieldToNode();
        turnStart = Date.now();
      }
    }
    // Quit is the last command: the ring's host frees it together.
    closeCommandRing();
  } finally {
    dropLifeline();
    doorbell?.close();
    doorbell = null;
    state.running = false;
  }
}

/** Serves until quit(), then finalises MPI and exits 0. */
export async function serveAndExit(): Promise<never> {
  try {
    await eventLoop();
  } catch (e) {
    process.stderr.write(`mpi-loop: rank ${rank}: the event loop failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  }
  finalize();
  process.exit(0);
}
