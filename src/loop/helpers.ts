// The functions meant to be run with call() (pyMOR's function_call,
// method_call, ..., mpi_info, run_code, import_module), and registerClass.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { processorName } from '../mpi/environment';
import { call, insideCall, queueClass } from './call';
import { importModules } from './function-refs';
import { getObject, manageObject, ObjectId, registerClassLocally } from './registry';
import { comm, parallel, rank, rank0, state } from './state';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest function type, for inference only
type AnyFunction = (...args: any[]) => unknown;

/** Each argument may be given as itself or as the ObjectId of a managed object of its type. */
export type ManagedArgs<P extends unknown[]> = { [I in keyof P]: P[I] | ObjectId<P[I]> };
/** The names of T's methods (any name for an ObjectId of unknown type). */
export type MethodName<T> = unknown extends T
  ? string
  : { [K in keyof T]-?: T[K] extends AnyFunction ? K : never }[keyof T] & string;
type MethodOf<T, K> = unknown extends T
  ? AnyFunction
  : K extends keyof T
    ? T[K] extends AnyFunction
      ? T[K]
      : never
    : never;
/** What a *Manage helper returns for a result R: its ObjectId, or a Promise of it for a Promise. */
export type Managed<R> = R extends PromiseLike<infer U> ? Promise<ObjectId<U>> : ObjectId<R>;

function resolveIds(args: unknown[]): unknown[] {
  return args.map((a) => (a instanceof ObjectId ? getObject(a) : a));
}

function manageResult<R>(result: R): Managed<R> {
  if (result instanceof Promise) return result.then(manageObject) as Managed<R>;
  return manageObject(result) as Managed<R>;
}

/** Calls f with ObjectId arguments replaced by their objects (pyMOR `function_call`). */
export function functionCall<F extends AnyFunction>(f: F, ...args: ManagedArgs<Parameters<F>>): ReturnType<F> {
  if (typeof f !== 'function') throw new TypeError(`functionCall: f must be a function, got ${typeof f}`);
  return f(...resolveIds(args)) as ReturnType<F>;
}

/** functionCall, then manages the result and returns its ObjectId, equal on every rank. */
export function functionCallManage<F extends AnyFunction>(
  f: F,
  ...args: ManagedArgs<Parameters<F>>
): Managed<ReturnType<F>> {
  return manageResult(functionCall(f, ...args));
}

function method(id: ObjectId<unknown>, name: string, where: string): { target: object; fn: AnyFunction } {
  if (typeof name !== 'string') throw new TypeError(`${where}: the method name must be a string, got ${typeof name}`);
  const target = getObject(id) as Record<string, unknown>;
  const fn = target?.[name];
  if (typeof fn !== 'function') {
    const kind = target?.constructor?.name ?? typeof target;
    throw new TypeError(`${where}: the object of ${String(id)} (${kind}) has no method "${name}"`);
  }
  return { target, fn: fn as AnyFunction };
}

/** Calls a method of a managed object (pyMOR `method_call`). */
export function methodCall<T, K extends MethodName<T>>(
  id: ObjectId<T>,
  name: K,
  ...args: ManagedArgs<Parameters<MethodOf<T, K>>>
): ReturnType<MethodOf<T, K>> {
  const { target, fn } = method(id, name, 'methodCall');
  return fn.apply(target, resolveIds(args)) as ReturnType<MethodOf<T, K>>;
}

/** methodCall, then manages the result and returns its ObjectId (pyMOR `method_call_manage`). */
export function methodCallManage<T, K extends MethodName<T>>(
  id: ObjectId<T>,
  name: K,
  ...args: ManagedArgs<Parameters<MethodOf<T, K>>>
): Managed<ReturnType<MethodOf<T, K>>> {
  return manageResult(methodCall(id, name, ...args));
}

/**
 * Rank 0 prints one line per rank, "<rank>: <processor name>" (pyMOR
 * `mpi_info`). Run it with call(mpiInfo); called directly on rank 0 it does
 * that itself.
 */
export function mpiInfo(): void {
  if (rank0 && parallel && state.running && !insideCall()) {
    call(mpiInfo);
    return;
  }
  const lines = comm.gather(`${rank}: ${processorName()}`, 0);
  if (lines) process.stdout.write(`${lines.join('\n')}\n`);
}

/** Evaluates JavaScript code in this rank's global scope (pyMOR `run_code`); returns its value. */
export function runCode(code: string): unknown {
  if (typeof code !== 'string') throw new TypeError(`runCode: code must be a string, got ${typeof code}`);
  return vm.runInThisContext(code, { filename: 'mpi-loop:runCode' });
}

/**
 * Imports a module by path (relative to the working directory), file: URL or
 * package name (pyMOR `import_module`). An ES module imported by path or URL
 * is registered, so functions it exports can then be received on this rank.
 */
export async function importModule(modulePath: string): Promise<void> {
  if (typeof modulePath !== 'string')
    throw new TypeError(`importModule: path must be a string, got ${typeof modulePath}`);
  const isPath = modulePath.startsWith('.') || path.isAbsolute(modulePath);
  const specifier = isPath ? pathToFileURL(path.resolve(modulePath)).href : modulePath;
  if (specifier.startsWith('file:')) await importModules([specifier]);
  else await import(specifier);
}

/**
 * Makes instances of cls keep their class when they cross ranks. On rank 0
 * with the loop running, the class is also registered on the other ranks with
 * the next command (found by module export, or shipped by source).
 */
export function registerClass(cls: new (...args: never[]) => unknown, name?: string): void {
  if (typeof cls !== 'function') throw new TypeError(`registerClass: expected a class, got ${typeof cls}`);
  const id = name ?? cls.name;
  if (!id) throw new TypeError('registerClass: the class has no name; pass one as the second argument');
  registerClassLocally(cls, id);
  queueClass(id, cls);
}
