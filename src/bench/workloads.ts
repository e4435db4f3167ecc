// The functions the event-loop benchmarks run with call(). They are exported
// from this module, so call() sends them by reference (a few bytes per call).
import { comm, rank } from '../index';

export function noop(): void {
  // nothing: the cost measured is the loop's own
}

/** The synchronising call that ends a timed run of calls. */
export function barrier(): void {
  comm.barrier();
}

export function gatherRank(): number[] | undefined {
  return comm.gather(rank);
}

export function takeArray(a: Float64Array): number {
  return a.length;
}

interface IdleMark {
  cpu: NodeJS.CpuUsage;
  wall: bigint;
}
let idleStart: IdleMark | undefined;
let idleEnd: IdleMark | undefined;
const mark = (): IdleMark => ({ cpu: process.cpuUsage(), wall: process.hrtime.bigint() });

export function markIdleStart(): void {
  idleStart = mark();
}

/** Ends the idle period and synchronises, so rank 0 times the wake-up. */
export function markIdleEnd(): void {
  idleEnd = mark();
  comm.barrier();
}

/** Each rank's CPU use over the idle period, in percent of one core, gathered to rank 0. */
export function idleReport(): number[] | undefined {
  if (!idleStart || !idleEnd) throw new Error('idleReport: markIdleStart and markIdleEnd first');
  const busy = idleEnd.cpu.user - idleStart.cpu.user + (idleEnd.cpu.system - idleStart.cpu.system);
  const wall = Number(idleEnd.wall - idleStart.wall) / 1e3;
  return comm.gather((100 * busy) / wall);
}

/** Each rank's resident set size in bytes, after a garbage collection when gc is exposed. */
export function residentMemory(): number[] | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return comm.gather(process.memoryUsage().rss);
}
