// Who holds the event loop's workers. A layer that takes the workers out of
// the loop to serve its own protocol (VirtualMachine's spawn loop, the futures
// task pool) holds the lease until it lets them go; meanwhile the workers read
// no command, so a call() whose function enters a collective would leave rank 0
// waiting in native code for ever, where no timer, message or signal handler
// runs. call() and every layer consult the lease first and refuse at once, with
// an error naming the holder and how to release it.
//
// Releasing is synchronous where it can be: a holder that has sent its stop
// messages ends the lease at once, since the workers read those before any
// later command. A holder that must first collect something (a task still
// running) keeps the lease until then, marked as releasing: layers that start
// asynchronously wait for it, synchronous ones get the error.

/** The workers are held by another layer: the message says which and how to release them. */
export class WorkersBusyError extends Error {
  override name = 'WorkersBusyError';
  constructor(
    message: string,
    readonly holder: string,
  ) {
    super(message);
  }
}

export interface WorkerLease {
  /** Who holds the workers, e.g. "a VirtualMachine". */
  readonly holder: string;
  /** The holder is letting the workers go but still needs them for a moment (its teardown is in flight). */
  releasing(): void;
  /** The workers are back in the loop, or will take the next command once they have read the stop messages sent. */
  end(): void;
}

interface Held {
  holder: string;
  /** How to release them, e.g. "`await vm.finalize()`". */
  release: string;
  releasing: boolean;
  ended: Promise<void>;
  end: () => void;
  /** Sends the holder's stop messages synchronously (quit() at exit). */
  stop: () => void;
}

let held: Held | null = null;
/** Rank 0's asynchronous call()s whose Promise has not settled: the workers are still in them. */
let asyncCalls = 0;
let asyncSettled: Promise<void> = Promise.resolve();
let settleAsync: () => void = () => undefined;

function busyMessage(what: string, h: Held): string {
  return h.releasing
    ? `${what}: the event loop's workers are still held by ${h.holder}, which is releasing them; wait for that with ${h.release}`
    : `${what}: the event loop's workers are held by ${h.holder}; release them with ${h.release}`;
}

/** Throws WorkersBusyError if a layer holds the workers (call() and each layer's entry point). */
export function checkWorkersFree(what: string): void {
  if (held) throw new WorkersBusyError(busyMessage(what, held), held.holder);
}

function checkNoAsyncCall(what: string): void {
  if (asyncCalls > 0) {
    throw new WorkersBusyError(
      `${what}: the event loop's workers are still running an asynchronous call() ` +
        '(a WorkerPool or distribute operation, .px, or your own); await its Promise first',
      'an asynchronous call()',
    );
  }
}

/** A layer that takes the workers: who it is, how to release it, how to move the workers in and out. */
export interface LeaseRequest {
  /** The layer's name, as errors start: "VirtualMachine". */
  name: string;
  /** As errors name it: "a VirtualMachine". */
  holder: string;
  /** How to release the workers: "`await vm.finalize()`". */
  release: string;
  /** Sends the command that moves the workers into the layer's protocol (a call()). */
  join: () => void;
  /** Sends the layer's stop messages synchronously (quit() uses it for a holder never released). */
  stop: () => void;
}

/**
 * Takes the workers for a layer. Throws WorkersBusyError at once if another
 * layer holds them or an asynchronous call() still runs on them.
 */
export function takeWorkers(request: LeaseRequest): WorkerLease {
  checkWorkersFree(request.name);
  checkNoAsyncCall(request.name);
  request.join();
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  const h: Held = {
    holder: request.holder,
    release: request.release,
    releasing: false,
    ended,
    end,
    stop: request.stop,
  };
  held = h;
  return {
    holder: request.holder,
    releasing() {
      h.releasing = true;
    },
    end() {
      if (held === h) held = null;
      h.end();
    },
  };
}

/**
 * takeWorkers for a layer that starts asynchronously: waits (without blocking)
 * for a holder that is releasing the workers and for asynchronous calls to
 * settle; a holder that is not releasing them still gets the error at once.
 */
export async function takeWorkersWhenFree(request: LeaseRequest): Promise<WorkerLease> {
  for (;;) {
    const h = held;
    if (h && !h.releasing) checkWorkersFree(request.name);
    if (h) await h.ended;
    else if (asyncCalls > 0) await asyncSettled;
    else return takeWorkers(request);
  }
}

/** True while an asynchronous call() has not settled (rank 0 may be running inside one). */
export function asyncCallRunning(): boolean {
  return asyncCalls > 0;
}

/** call(): the workers run an asynchronous command until `settled` settles. */
export function noteAsyncCall(settled: Promise<unknown>): void {
  if (asyncCalls++ === 0)
    asyncSettled = new Promise<void>((resolve) => {
      settleAsync = resolve;
    });
  const done = (): void => {
    if (--asyncCalls === 0) settleAsync();
  };
  settled.then(done, done);
}

/** quit(): a holder never released sends its stop messages now, so the workers can take the Quit. */
export function stopHolder(): void {
  const h = held;
  if (!h) return;
  held = null;
  try {
    h.stop();
  } finally {
    h.end();
  }
}
