// Rank 0's bookkeeping for proxies: which proxy stands for which ObjectId, so
// proxies can be passed as arguments (they go as their ObjectId, which every
// rank turns back into its own copy of the object).
import { ObjectId } from '../loop/index';

const proxyIds = new WeakMap<object, ObjectId>();

export function registerProxy(proxy: object, id: ObjectId): void {
  proxyIds.set(proxy, id);
}

/** The ObjectId of a proxy, or undefined. */
export function idOfProxy(value: unknown): ObjectId | undefined {
  return value !== null && (typeof value === 'object' || typeof value === 'function') ? proxyIds.get(value) : undefined;
}

/** Arguments as they go to the other ranks: proxies become their ObjectIds. */
export function wireArgs(args: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const id = idOfProxy(args[i]);
    if (id) (out ??= args.slice())[i] = id;
  }
  return out ?? (args as unknown[]);
}
