// The serial fallback (no MPI library): tasks run in this process, one at a
// time, asynchronously, so code written for PoolExecutor still runs.
import { RemoteError } from '../index';
import type { Task } from './session';

export class LocalSession {
  readonly size = 1;
  readonly ready = Promise.resolve();
  #queue: Task[] = [];
  #running = false;
  #drainWaiters: Array<() => void> = [];

  submit(task: Task): void {
    this.#queue.push(task);
    if (!this.#running) setImmediate(() => void this.#run());
    this.#running = true;
  }

  cancel(task: Task): boolean {
    const i = this.#queue.indexOf(task);
    if (i < 0) return task.cancelled === true;
    this.#queue.splice(i, 1);
    task.cancelled = true;
    return true;
  }

  cancelQueued(): Task[] {
    const out = this.#queue.splice(0);
    for (const t of out) t.cancelled = true;
    return out;
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0) {
      const task = this.#queue.shift()!;
      if (task.cancelled || !task.start()) continue;
      const values: unknown[] = [];
      let i = 0;
      try {
        const f = task.f as (...a: unknown[]) => unknown;
        for (; i < task.items.length; i++)
          values.push(await (task.single ? f(task.items[i]) : f(...(task.items[i] as unknown[]))));
        task.done(values);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        task.failed(
          i,
          new RemoteError({
            rank: 0,
            name: err.name,
            message: err.message,
            stack: err.stack ?? '',
            command: task.f.name,
            seq: 0,
          }),
          values,
        );
      }
    }
    this.#running = false;
    for (const r of this.#drainWaiters.splice(0)) r();
  }

  get idle(): boolean {
    return !this.#running && this.#queue.length === 0;
  }

  drained(): Promise<void> {
    if (!this.#running && this.#queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.#drainWaiters.push(r));
  }

  async stop(): Promise<void> {
    await this.drained();
  }
}
