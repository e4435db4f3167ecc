// Rank 0's side of the loop: call() and quit() (pyMOR's call and quit).
//
// call(f, ...args) sends one command message to the workers (down the
// fan-out tree of fanout.ts) and runs f locally; it does not wait for them. A worker that fails reports on
// the status communicator, and rank 0 raises what has arrived at the start of
// the next call(), so the success path costs a few messages and no round
// trip: an error may surface a call or two after the one that caused it
// (RemoteError.command and .seq name the command that failed). quit() waits
// for every worker's last status, so no error is ever lost.
//
// Collectives inside f are the plain blocking MPI calls. If a worker fails
// while rank 0 is blocked in one with it, the failure watchdog (watchdog.ts)
// prints the worker's error on rank 0's stderr and ends the job.
import { writeSync } from 'node:fs';
import { decode } from '../mpi/codec';
import { ANY_SOURCE, ANY_TAG } from '../mpi/comm';
import { sendMessageToEach } from '../mpi/object-p2p';
import { sendDetached } from '../mpi/detached-buffers';
import { beforeFinalize, native } from '../mpi/environment';
import {
  bellTable,
  closeDoorbells,
  connectDoorbell,
  type DoorbellAnnouncement,
  doorbellsEnabled,
  ringIfIdle,
} from './doorbell';
import { esmHooksActive } from './esm-registry';
import { type CommandContext, commit, enterCommandContext, leaveCommandContext, refFor } from './function-refs';
import { type CommandMessage, encodeCommand, type Header, Kind } from './protocol';
import { clearObjects, managedIds, ObjectId, restoreRemovals, takeRemovals } from './registry';
import { checkWorkersFree, noteAsyncCall, stopHolder } from './lease';
import { isThenable } from '../util/thenable';
import { RemoteError, type RemoteErrorRecord } from './remote-error';
import { oversubscribed } from '../mpi/host';
import { settings } from './settings';
import { COMMAND_TAG, loopComms, parallel, rank, rank0, size, state } from './state';
import { commandsSettled, startWatchdog } from './watchdog';
import { fanoutChildren } from './fanout';
import { closeCommandRing, postCommand, ringReaders } from './command-ring';

/** What workers send on the status communicator: errors, final statuses, doorbell addresses. */
export type StatusMessage =
  ({ k: 'e' } & RemoteErrorRecord) | { k: 'f'; rank: number; managed: number } | DoorbellAnnouncement;

const queuedClasses: Array<[string, Function]> = [];
let depth = 0;

/** @internal: registerClass on rank 0 queues the class for the workers. */
export function queueClass(name: string, cls: Function): void {
  if (rank0 && parallel) queuedClasses.push([name, cls]);
}

/** @internal: true while rank 0 runs the local part of a call(). */
export function insideCall(): boolean {
  return depth > 0;
}

let children: Int32Array | undefined;
/** The workers rank 0 sends commands to over MPI: its children in the fan-out tree (fanout.ts). */
const rank0Children = (): Int32Array => (children ??= Int32Array.from(fanoutChildren(0, size)));
let ringAndChildren: Int32Array | undefined;
/** The workers that get a command from rank 0 itself: the ring's readers and rank 0's children. */
const commandedByRank0 = (): Int32Array =>
  (ringAndChildren ??= Int32Array.from([...ringReaders(), ...rank0Children()]));

/**
 * The command to the ring (command-ring.ts) and to rank 0's children in the
 * fan-out tree (fanout.ts), which pass it on; its detached buffers after it,
 * to all of them at once. A command the ring cannot hold goes to its readers
 * as MPI messages too.
 */
function sendToWorkers(command: CommandMessage): void {
  const h = loopComms().command;
  let dests = rank0Children();
  if (ringReaders().length > 0 && !postCommand(command.detached.length === 0 ? command.parts : null))
    dests = commandedByRank0();
  if (dests.length > 0) sendMessageToEach(h, command.parts, dests, COMMAND_TAG);
  if (command.detached.length === 0 || dests.length === 0) return;
  sendDetached(native().commShadow(h), command.detached, dests, COMMAND_TAG);
}

/** Receives one status message; errors go to `records`, doorbells are connected. */
function receiveStatus(records: RemoteErrorRecord[]): StatusMessage {
  const N = native();
  const m = decode(N.probeRecv(loopComms().status, ANY_SOURCE, ANY_TAG)) as StatusMessage;
  if (m.k === 'e') records.push(m);
  else if (m.k === 'd') connectDoorbell(m, commandedByRank0().includes(m.rank));
  return m;
}

/**
 * Raises the errors workers have reported so far (at the start of every
 * call). After an idle spell Open MPI may need a second progress step to
 * notice a message that has arrived; in a busy loop the sends progress it.
 */
function raiseArrivedErrors(afterIdle: boolean): void {
  const N = native();
  const h = loopComms().status;
  if (!N.iprobe(h, ANY_SOURCE, ANY_TAG) && !(afterIdle && N.iprobe(h, ANY_SOURCE, ANY_TAG))) return;
  const records: RemoteErrorRecord[] = [];
  while (N.iprobe(h, ANY_SOURCE, ANY_TAG)) receiveStatus(records);
  if (records.length > 0) throw RemoteError.from(records);
}

function lift(args: unknown[], header: Header, context: CommandContext): unknown[] {
  let wire = args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'function') {
      if (wire === args) wire = args.slice();
      (header.x ??= []).push([i, refFor(a, `args[${i}]`, context)]);
      wire[i] = null;
    } else if (a instanceof ObjectId) {
      if (wire === args) wire = args.slice();
      (header.o ??= []).push(i);
      wire[i] = a.id;
    }
  }
  return wire;
}

/** Sends one Call command, preceded by the Load and Classes commands it needs. */
// One context serves every call: calls do not nest and encoding is synchronous.
const context: CommandContext = { pending: [], modules: new Set() };

function sendCall(f: Function, args: unknown[]): void {
  context.pending.length = 0;
  context.modules.clear();
  const removals = takeRemovals();
  const previous = enterCommandContext(context);
  try {
    let classes: CommandMessage | undefined;
    if (queuedClasses.length > 0) {
      const cl = queuedClasses.map(([name, cls]): [string, ReturnType<typeof refFor>] => [
        name,
        refFor(cls, `registerClass(${name})`, context),
      ]);
      classes = copyParts(encodeCommand({ k: Kind.Classes, cl }));
    }
    const header: Header = { k: Kind.Call, f: refFor(f, 'f', context) };
    if (removals.length > 0) header.r = removals;
    const wire = lift(args, header, context);
    let command = encodeCommand(header, wire);
    if (context.modules.size > 0) {
      // Encoding the Load command reuses the buffers the Call was encoded into.
      command = copyParts(command);
      sendToWorkers(encodeCommand({ k: Kind.Load, u: [...context.modules] }));
    }
    if (classes) sendToWorkers(classes);
    sendToWorkers(command);
    queuedClasses.length = 0;
    state.seq++;
  } catch (e) {
    restoreRemovals(removals);
    throw e;
  } finally {
    leaveCommandContext(previous);
  }
  commit(context);
}

/** The command with its message copied out of reused memory (detached buffers are the arguments' own). */
function copyParts(command: CommandMessage): CommandMessage {
  const parts = command.parts.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength).slice());
  return { parts, detached: command.detached };
}

// Oversubscribed, an empty MPI_Iprobe yields the core (Open MPI's
// yield_when_idle), handing it to the other ranks at every call: check for
// errors at most once a millisecond then (they are never lost; quit() collects
// the rest).
let lastErrorCheck = 0;
function timeToCheckErrors(): boolean {
  const now = performance.now();
  if (now - lastErrorCheck < 1) return false;
  lastErrorCheck = now;
  return true;
}

// Counted, since a call whose function is async runs until it settles. When
// none runs, the watchdog drops notices of the commands sent so far.
let running = 0;
function settled(): void {
  if (--running === 0) commandsSettled(state.seq);
}

function runLocally<A extends unknown[], R>(f: (...a: A) => R, args: A): R {
  depth++;
  running++;
  let result: R;
  try {
    result = f(...args);
  } catch (e) {
    settled();
    throw e;
  } finally {
    depth--;
  }
  if (!isThenable(result)) {
    settled();
    return result;
  }
  const done = Promise.resolve(result).then(
    (v) => {
      settled();
      return v;
    },
    (e: unknown) => {
      settled();
      throw e;
    },
  );
  noteAsyncCall(done);
  return done as R;
}

/**
 * Runs f(...args) on every rank (rank 0 included) and returns rank 0's result.
 * If f returns a Promise, every rank awaits it before the next command, and
 * call returns rank 0's Promise. Errors from other ranks arrive as RemoteError.
 */
// `const A`: literal arguments keep their types, so that generic helpers such
// as methodCall infer from them (call(methodCall, id, 'mean') is typed).
export function call<const A extends unknown[], R>(f: (...args: A) => R, ...args: A): R {
  if (!rank0) throw new Error(`call() runs on rank 0 only (this is rank ${rank}, which serves the event loop)`);
  if (typeof f !== 'function') throw new TypeError(`call: f must be a function, got ${f === null ? 'null' : typeof f}`);
  if (!parallel) {
    // Nothing is sent, but under the preload (which can see ES module exports)
    // a function that could not be sent is refused here too, so a script that
    // works on one rank works on many.
    if (esmHooksActive()) {
      refFor(f, 'f', null);
      args.forEach((a, i) => {
        if (typeof a === 'function') refFor(a, `args[${i}]`, null);
      });
    }
    return f(...args);
  }
  if (!state.running) {
    throw new Error(
      'call: the event loop is not running on the other ranks; start the script with ' +
        '`node -r mpi-loop/register` (or `mpi-loop run`), or call launchEventLoop() on every rank',
    );
  }
  if (state.broken) throw new Error(`call: the job cannot continue: ${state.broken}`);
  if (depth > 0) throw new Error('call: call() cannot be nested: the other ranks are still running the outer call');
  checkWorkersFree('call');
  const afterIdle = ringIfIdle();
  if (!oversubscribed || afterIdle || timeToCheckErrors()) raiseArrivedErrors(afterIdle);
  sendCall(f, args);
  return runLocally(f, args);
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Ends the event loop on every rank (pyMOR's quit). Waits for every rank's
 * last status and raises the errors they report, so none is lost. Objects
 * still managed are removed with a warning.
 */
export function quit(): void {
  if (!rank0) throw new Error(`quit() runs on rank 0 only (this is rank ${rank})`);
  if (!state.running) return;
  state.running = false;
  if (state.broken) return;
  const left = managedIds();
  if (left.length > 0) {
    const shown = left.slice(0, 8).join(', ') + (left.length > 8 ? ', ...' : '');
    // Synchronously: quit() usually runs at exit, where an emitted warning would never print.
    writeSync(
      2,
      `mpi-loop: warning: quit(): ${left.length} managed object(s) still alive (ObjectId ${shown}); removing them\n`,
    );
  }
  clearObjects();
  ringIfIdle();
  // A layer never released (a VirtualMachine not finalized) lets the workers go first.
  stopHolder();
  state.seq++;
  sendToWorkers(encodeCommand({ k: Kind.Quit }));
  const N = native();
  const h = loopComms().status;
  const waiting = new Set(Array.from({ length: size - 1 }, (_, i) => i + 1));
  const records: RemoteErrorRecord[] = [];
  const deadline = Date.now() + settings().quitTimeout * 1000;
  while (waiting.size > 0) {
    if (N.iprobe(h, ANY_SOURCE, ANY_TAG)) {
      const m = receiveStatus(records);
      if (m.k === 'f') waiting.delete(m.rank);
    } else if (Date.now() > deadline) {
      state.broken = `rank(s) ${[...waiting].join(', ')} did not answer quit() within ${settings().quitTimeout} s`;
      throw new Error(`quit: ${state.broken}`);
    } else {
      sleepMs(0.2);
    }
  }
  closeDoorbells();
  closeCommandRing();
  if (records.length > 0) throw RemoteError.from(records);
}

let exitHookInstalled = false;

/**
 * Receives the workers' doorbell addresses. They send them first thing in the
 * loop, right after the collective that made the loop's communicators, so
 * this wait is short; it is bounded anyway, and late ones arrive with calls.
 */
function collectDoorbells(): void {
  const N = native();
  const h = loopComms().status;
  const records: RemoteErrorRecord[] = [];
  let announced = 0;
  const deadline = Date.now() + 10_000;
  while (announced < size - 1 && Date.now() < deadline) {
    if (N.iprobe(h, ANY_SOURCE, ANY_TAG)) {
      if (receiveStatus(records).k === 'd') announced++;
    } else {
      sleepMs(0.1);
    }
  }
  if (records.length > 0) throw RemoteError.from(records);
}

/** @internal: rank 0 marks the loop running and quits it at exit. */
export function startDriving(): void {
  loopComms();
  state.running = true;
  const watchdog = startWatchdog();
  if (doorbellsEnabled) collectDoorbells();
  const start: Header = { k: Kind.Watchdog };
  if (watchdog) start.w = watchdog;
  if (bellTable().length > 0) start.b = bellTable();
  if (start.w || start.b) sendToWorkers(encodeCommand(start));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  beforeFinalize(() => {
    try {
      quit();
    } catch (e) {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      return 1;
    }
    return state.broken ? 1 : 0;
  });
}
