// distribute(Class, ...args): one instance of a class on every rank, driven
// from rank 0 through a typed proxy (pyMOR's pattern of manage_object plus
// method_call, as its MPIVectorArray uses it). Method calls go out as
// methodCall commands: no reply travels back, so a method that fails on a
// worker only (and not on rank 0) is reported by a later call, as for call().
import { inspect } from 'node:util';
import { call, functionCallManage, methodCall, methodCallManage, ObjectId, rank0 } from '../loop/index';
import { checkWorkersFree } from '../loop/lease';
import { registerProxy, wireArgs } from './handles';
import { enqueue } from './queue';
import type { Distributed, RemoteArgs } from './types';

type Constructor = new (...args: never[]) => object;

/** Creates an instance of cls on every rank: functionCallManage(construct, cls, ...args). */
export function construct(cls: Constructor, ...args: unknown[]): object {
  if (typeof cls !== 'function') throw new TypeError(`distribute: expected a class, got ${typeof cls}`);
  return new (cls as new (...a: unknown[]) => object)(...args);
}

/**
 * Creates `new cls(...args)` on every rank and resolves to rank 0's typed
 * proxy for it. cls must be exported by a module (or be self-contained), like
 * any function passed to call(). Arguments that are proxies or ObjectIds
 * become each rank's copy of that object.
 */
export function distribute<C extends Constructor>(
  cls: C,
  ...args: RemoteArgs<ConstructorParameters<C>>
): Promise<Distributed<InstanceType<C>>> {
  if (!rank0) return Promise.reject(new Error('distribute: runs on rank 0 (the other ranks serve the event loop)'));
  return enqueue(() => {
    checkWorkersFree('distribute');
    return call(functionCallManage, construct, cls, ...wireArgs(args));
  }).then((id) => proxyFor<InstanceType<C>>(id));
}

/** A proxy for an object already managed on every rank (e.g. by call(functionCallManage, ...)). */
export function proxyFor<T>(id: ObjectId): Distributed<T> {
  if (!(id instanceof ObjectId)) throw new TypeError('proxyFor: expected an ObjectId');
  let disposed = false;
  const gone = (name: string): Promise<never> =>
    Promise.reject(new Error(`${String(id)} was disposed; cannot call ${name}()`));

  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const managed = new Map<string, (...args: unknown[]) => Promise<unknown>>();

  const method = (name: string): ((...args: unknown[]) => Promise<unknown>) => {
    let m = methods.get(name);
    if (!m) {
      m = (...args: unknown[]) =>
        disposed ? gone(name) : enqueue(() => call(methodCall, id, name, ...wireArgs(args)));
      methods.set(name, m);
    }
    return m;
  };
  const manageMethod = (name: string): ((...args: unknown[]) => Promise<unknown>) => {
    let m = managed.get(name);
    if (!m) {
      m = (...args: unknown[]) =>
        disposed
          ? gone(name)
          : enqueue(() => call(methodCallManage, id, name, ...wireArgs(args))).then((r) => proxyFor(r));
      managed.set(name, m);
    }
    return m;
  };
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    id[Symbol.dispose]();
  };
  const describe = (): string => `Distributed<${String(id)}>${disposed ? ' (disposed)' : ''}`;

  const manage = new Proxy(Object.create(null) as object, {
    get: (_, name) => (typeof name === 'string' ? manageMethod(name) : undefined),
  });
  const proxy = new Proxy(Object.create(null) as object, {
    get: (_, name) => {
      if (name === 'id') return id;
      if (name === 'manage') return manage;
      if (name === Symbol.dispose) return dispose;
      if (name === inspect.custom || name === Symbol.toStringTag || name === 'toString') return describe;
      // A proxy is not a thenable: `await` and Promise resolution must leave it alone.
      if (name === 'then' || typeof name === 'symbol') return undefined;
      return method(name);
    },
    has: (_, name) => name === 'id' || name === 'manage' || name === Symbol.dispose,
  });
  registerProxy(proxy, id);
  return proxy as Distributed<T>;
}
