// PyOPUS' MPI virtual machine: rank 0 is the spawner; the other ranks of the
// event loop are slots that run one spawned function at a time. Tasks and the
// spawner exchange messages with sendMessage/receiveMessage; a task's exit and
// its return value reach the spawner as notifications through receiveMessage.
// One VirtualMachine per process (PyOPUS keeps its state in static members):
// `new VirtualMachine()` inside a spawned function gives that task's view.
//
// While it exists, the virtual machine holds the event loop's workers (the
// loop's worker lease): finalize() lets them go. As PyOPUS' finalize() is
// synchronous, ours sends the stop messages before it returns, so the workers
// read them before any later command and the un-awaited form works; its
// Promise is for the workers' acknowledgements.
import os from 'node:os';
import { ANY_SOURCE, call, comm, type Comm, isFinalized, rank, rank0, type Request, size } from '../index';
import { takeWorkers, type WorkerLease } from '../loop/lease';

const VM_TAG = 21;
const CONTROL_TAG = 22;
/** A worker's acknowledgement of finalize: its last message on the machine's communicator. */
const BYE_TAG = 23;

/** A task: the rank it runs on and the number the spawner gave it (PyOPUS MPITaskID). */
export class TaskID {
  constructor(
    readonly rank: number,
    readonly number: number | null = null,
  ) {}
  static bad(): TaskID {
    return new TaskID(-1, null);
  }
  valid(): boolean {
    return this.rank >= 0;
  }
  equals(o: TaskID): boolean {
    return o.rank === this.rank && o.number === this.number;
  }
  toString(): string {
    return this.valid() ? `${this.rank}:${this.number ?? '-'}` : 'bad';
  }
}

/** A host (PyOPUS MPIHostID): its name, CPU count and slots. */
export class HostID {
  constructor(
    readonly name: string | null,
    readonly ncpu = 0,
    readonly slots: number[] = [],
  ) {}
  static bad(): HostID {
    return new HostID(null);
  }
  valid(): boolean {
    return this.name !== null;
  }
  toString(): string {
    return this.name ?? 'bad';
  }
}

/** The notification that a spawned task has exited (PyOPUS MsgTaskExit). */
export interface MsgTaskExit {
  type: 'taskExit';
  taskID: TaskID;
}
/** A spawned task's outcome (PyOPUS MsgTaskResult), when spawned with sendBack. */
export interface MsgTaskResult {
  type: 'taskResult';
  success: boolean;
  returnValue: unknown;
  error?: { name: string; message: string; stack: string };
}

type Fn = (...args: never[]) => unknown;
// On the wire: [kind, fromNumber, toNumber, payload]
type Wire =
  ['m', number, number, unknown] | ['x', number, number, null] | ['r', number, number, Omit<MsgTaskResult, 'type'>];
type Control = ['spawn', number, Fn, unknown[], boolean] | ['finalize'] | ['hello', string, number] | ['bye'];

interface SlotState {
  host: string;
  taskNumber: number | null;
}

let instance: VirtualMachine | null = null;
let joinedComm: Comm | null = null;

/** Run by call() on every rank: the loop's workers serve spawn requests until finalize(). */
export function joinVirtualMachine(): Promise<void> | undefined {
  const c = comm.dup();
  joinedComm = c;
  if (rank0) return undefined;
  const vm = new VirtualMachine();
  return vm.serveSpawns();
}

export class VirtualMachine {
  #comm: Comm | null = null;
  #taskNumber = 0;
  #nextNumber = 1;
  #slots = new Map<number, SlotState>();
  #hosts = new Map<string, { ncpu: number; slots: number[] }>();
  #hellos: Promise<void> = Promise.resolve();
  #pending: Request<Wire> | null = null;
  #lease: WorkerLease | null = null;
  #finalizing: Promise<void> | null = null;

  /** One instance per process: later calls return the same virtual machine (until finalize()). */
  constructor() {
    if (instance) return instance;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- one VirtualMachine per process, as in PyOPUS
    instance = this;
    if (rank0 && size > 1) {
      try {
        this.#lease = takeWorkers({
          name: 'VirtualMachine',
          holder: 'a VirtualMachine',
          release: '`await vm.finalize()`',
          join: () => call(joinVirtualMachine),
          // quit() at exit: the stop messages only; MPI is finalized right after.
          stop: () => {
            this.#finalizing ??= Promise.resolve();
            this.#letGo();
          },
        });
      } catch (e) {
        instance = null;
        throw e;
      }
      this.#comm = joinedComm;
      this.#slots.set(0, { host: os.hostname(), taskNumber: 0 });
      this.#addHost(os.hostname(), os.cpus().length, 0);
      this.#hellos = this.#collectHellos();
    } else if (rank0) {
      this.#slots.set(0, { host: os.hostname(), taskNumber: 0 });
      this.#addHost(os.hostname(), os.cpus().length, 0);
    } else {
      this.#comm = joinedComm;
    }
  }

  #addHost(name: string, ncpu: number, slot: number): void {
    const h = this.#hosts.get(name) ?? { ncpu, slots: [] };
    h.slots.push(slot);
    this.#hosts.set(name, h);
  }

  async #collectHellos(): Promise<void> {
    const c = this.#comm!;
    for (let i = 1; i < c.size; i++) {
      const req = c.irecv<Control>(ANY_SOURCE, CONTROL_TAG);
      const m = await req.wait();
      if (m[0] === 'hello') {
        this.#slots.set(req.status.source, { host: m[1], taskNumber: null });
        this.#addHost(m[1], m[2], req.status.source);
      }
    }
  }

  /** @internal: a worker's spawn loop (runs one task at a time until finalize). */
  async serveSpawns(): Promise<void> {
    const c = this.#comm!;
    await c.isend(['hello', os.hostname(), os.cpus().length] satisfies Control, 0, CONTROL_TAG).wait();
    for (;;) {
      const m = await c.irecv<Control>(0, CONTROL_TAG).wait();
      if (m[0] === 'finalize') break;
      if (m[0] !== 'spawn') continue;
      const [, number, f, args, sendBack] = m;
      this.#taskNumber = number;
      let outcome: Omit<MsgTaskResult, 'type'>;
      try {
        outcome = { success: true, returnValue: await f(...(args as never[])) };
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        outcome = {
          success: false,
          returnValue: null,
          error: { name: err.name, message: err.message, stack: err.stack ?? '' },
        };
      }
      if (sendBack) {
        try {
          await c.isend(['r', number, 0, outcome] satisfies Wire, 0, VM_TAG).wait();
        } catch (e) {
          await c
            .isend(
              [
                'r',
                number,
                0,
                { success: false, returnValue: null, error: { name: 'EncodeError', message: String(e), stack: '' } },
              ] satisfies Wire,
              0,
              VM_TAG,
            )
            .wait();
        }
      }
      await c.isend(['x', number, 0, null] satisfies Wire, 0, VM_TAG).wait();
      this.#taskNumber = 0;
    }
    this.#comm = null;
    instance = null;
    await c.isend(['bye'] satisfies Control, 0, BYE_TAG).wait();
    c.free();
  }

  #spawnerOnly(what: string): void {
    if (!rank0) throw new Error(`${what} works only on the spawner (rank 0)`);
  }

  /** The number of slots (ranks, the spawner's included). */
  slots(): number {
    this.#spawnerOnly('slots()');
    return this.#comm ? this.#comm.size : 1;
  }

  /** Slots with no task running (the spawner's slot is always in use). */
  freeSlots(): number {
    this.#spawnerOnly('freeSlots()');
    let n = 0;
    for (const [r, s] of this.#slots) if (r !== 0 && s.taskNumber === null) n++;
    return n;
  }

  /** Every host, with its CPU count and slots. Resolves once every worker has reported. */
  async hostsReady(): Promise<HostID[]> {
    await this.#hellos;
    return this.hosts();
  }
  hosts(): HostID[] {
    this.#spawnerOnly('hosts()');
    return [...this.#hosts].map(
      ([name, h]) =>
        new HostID(
          name,
          h.ncpu,
          [...h.slots].sort((a, b) => a - b),
        ),
    );
  }

  taskID(): TaskID {
    return new TaskID(rank, this.#taskNumber);
  }
  hostID(): HostID {
    return new HostID(os.hostname(), os.cpus().length);
  }
  /** The spawner for a spawned task; a bad ID on the spawner itself. */
  parentTaskID(): TaskID {
    return rank0 ? TaskID.bad() : new TaskID(0, 0);
  }

  /**
   * Spawns `count` instances of f(...args) (default: one per free slot) on free
   * slots, on the hosts of targetList if given. Resolves with their task IDs.
   */
  async spawnFunction(
    f: Fn,
    args: readonly unknown[] = [],
    {
      count,
      targetList,
      sendBack = true,
    }: { count?: number; targetList?: Array<HostID | string>; sendBack?: boolean } = {},
  ): Promise<TaskID[]> {
    this.#spawnerOnly('spawnFunction()');
    if (this.#finalizing) throw new Error('spawnFunction: this VirtualMachine was finalized; create a new one');
    if (typeof f !== 'function') throw new TypeError('spawnFunction: f must be a function');
    await this.#hellos;
    const hosts = targetList?.map((h) => (typeof h === 'string' ? h : h.name));
    const free = [...this.#slots]
      .filter(([r, s]) => r !== 0 && s.taskNumber === null && (!hosts || hosts.includes(s.host)))
      .map(([r]) => r)
      .sort((a, b) => a - b);
    const chosen = free.slice(0, count ?? free.length);
    const ids: TaskID[] = [];
    for (const r of chosen) {
      const number = this.#nextNumber++;
      await this.#comm!.isend(['spawn', number, f, [...args], sendBack] satisfies Control, r, CONTROL_TAG).wait();
      this.#slots.get(r)!.taskNumber = number;
      ids.push(new TaskID(r, number));
    }
    return ids;
  }

  /** Sends msg to a task; true on success. */
  async sendMessage(destination: TaskID, message: unknown): Promise<boolean> {
    if (!this.#comm || !destination.valid()) return false;
    try {
      await this.#comm
        .isend(['m', this.#taskNumber, destination.number ?? 0, message] satisfies Wire, destination.rank, VM_TAG)
        .wait();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The next message as [senderTaskID, message]: task exits arrive as
   * { type: 'taskExit' } and return values as { type: 'taskResult' }.
   * timeout < 0 waits, 0 polls, > 0 waits that many seconds; [] when
   * nothing arrived in time, null on error (or a message for an old task).
   */
  async receiveMessage(timeout = -1): Promise<[TaskID, unknown] | [] | null> {
    if (!this.#comm) return timeout >= 0 ? [] : null;
    const request = (this.#pending ??= this.#comm.irecv<Wire>(ANY_SOURCE, VM_TAG));
    const wait = request.wait();
    let outcome: 'message' | 'timeout';
    if (timeout < 0) {
      outcome = await wait.then(
        () => 'message' as const,
        () => 'message' as const,
      );
    } else {
      let timer: NodeJS.Timeout | undefined;
      // A zero timeout still gives the poller a turn, so a message that has arrived is found.
      outcome = await Promise.race([
        wait.then(
          () => 'message' as const,
          () => 'message' as const,
        ),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeout * 1000);
        }),
      ]);
      clearTimeout(timer);
    }
    if (outcome === 'timeout') return [];
    this.#pending = null;
    let m: Wire;
    try {
      m = await wait;
    } catch {
      return null;
    }
    const source = request.status.source;
    const [kind, from, to, payload] = m;
    if (to !== this.#taskNumber) return null; // for an earlier task on this slot: discarded
    const sender = new TaskID(source, from);
    if (kind === 'x') {
      const slot = this.#slots.get(source);
      if (slot && slot.taskNumber === from) slot.taskNumber = null;
      return [sender, { type: 'taskExit', taskID: sender } satisfies MsgTaskExit];
    }
    if (kind === 'r') return [sender, { type: 'taskResult', ...payload } satisfies MsgTaskResult];
    return [sender, payload];
  }

  /** The spawner's view of the machine, as text (PyOPUS formatSpawnerConfig). */
  formatSpawnerConfig(): string {
    this.#spawnerOnly('formatSpawnerConfig()');
    const lines = [`MPI virtual machine: ${this.slots()} slot(s), ${this.freeSlots()} free`];
    for (const h of this.hosts()) {
      lines.push(`  host ${h.name}: ${h.ncpu} CPU(s), slots ${h.slots.join(', ')}`);
    }
    for (const [r, s] of [...this.#slots].sort((a, b) => a[0] - b[0])) {
      lines.push(`  slot ${r} on ${s.host}: ${s.taskNumber === null ? 'free' : `task ${s.taskNumber}`}`);
    }
    return lines.join('\n');
  }

  /**
   * Sends the workers back to the event loop (spawner only). The stop messages
   * go out before it returns, so a later call() or layer may follow at once,
   * awaited or not; the Promise resolves when every worker has acknowledged.
   * While a task still runs, the workers stay held until it ends: await the
   * Promise before starting another layer synchronously.
   */
  finalize(): Promise<void> {
    if (!rank0) return Promise.resolve();
    if (this.#finalizing) return this.#finalizing;
    const c = this.#letGo();
    if (!c) return (this.#finalizing = Promise.resolve());
    const lease = this.#lease;
    this.#lease = null;
    // With no task running, nothing more is needed from the workers before they read the next command.
    const running = [...this.#slots].some(([r, slot]) => r !== 0 && slot.taskNumber !== null);
    if (!running) lease?.end();
    else lease?.releasing();
    this.#finalizing = this.#acknowledged(c).finally(() => {
      lease?.end();
      // quit() at exit finalizes a machine never finalized, and MPI with it.
      if (!isFinalized()) c.free();
    });
    return this.#finalizing;
  }

  /** Sends the workers their stop messages; returns the machine's communicator (null if there was none). */
  #letGo(): Comm | null {
    const c = this.#comm;
    this.#comm = null;
    if (instance === this) instance = null;
    if (!c) return null;
    // A few bytes each: sent eagerly, whatever the workers are doing.
    for (let r = 1; r < c.size; r++) c.send(['finalize'] satisfies Control, r, CONTROL_TAG);
    this.#pending?.cancel();
    this.#pending = null;
    return c;
  }

  /** Waits for every worker's acknowledgement, taking (and dropping) what running tasks still send. */
  async #acknowledged(c: Comm): Promise<void> {
    await this.#hellos;
    await Promise.all(
      Array.from({ length: c.size - 1 }, async (_, i) => {
        for (;;) {
          const request = c.irecv<unknown>(i + 1);
          await request.wait();
          if (request.status.tag === BYE_TAG) return;
        }
      }),
    );
  }
}
