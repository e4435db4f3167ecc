// Functions cross ranks the way Python pickles them, by reference where that
// is possible and by source where it is safe:
// - a function exported by a module rank 0 has loaded goes as (module, export
//   name), found by scanning require.cache and the ES module registry once;
// - a built-in (Math.max, ...) goes by its global path;
// - any other function goes by source if it is self-contained: its free
//   names must be globals or mpi-loop's API, which the other ranks provide;
// - anything else is refused on rank 0, naming the function and the fix.
// Inside commands each function gets a small id the first time it is sent,
// and later commands carry only the id.
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { EncodeError, registerExtension } from '../mpi/codec';
import { entryPoint, esmModules, type Namespace } from './esm-registry';
import { analyzeSource } from './free-variables';

interface Base {
  i: number;
  nm: string;
}
/** By source; w: method shorthand; n: mpi-loop API names it uses; a: names compilers give the package itself. */
export interface SourceDescriptor extends Base {
  s: string;
  w?: 1;
  n?: string[];
  a?: string[];
}
/** A CommonJS module's export (e absent: module.exports itself). */
export interface CommonJSDescriptor extends Base {
  c: string;
  e?: string;
}
/** An ES module's export. */
export interface ESModuleDescriptor extends Base {
  m: string;
  e: string;
}
/** A built-in, by its path from globalThis. */
export interface GlobalDescriptor extends Base {
  g: string;
}
export type FunctionDescriptor = SourceDescriptor | CommonJSDescriptor | ESModuleDescriptor | GlobalDescriptor;
/** A descriptor, or the id of a function the other ranks already have. */
export type FunctionRef = number | FunctionDescriptor;

type AnyFunction = Function;

interface Known {
  id: number;
  d: FunctionDescriptor;
  sent: boolean;
}

/** What encoding one command collects: descriptors to mark sent, ES modules the workers must import first. */
export interface CommandContext {
  pending: Known[];
  modules: Set<string>;
}

const known = new WeakMap<AnyFunction, Known>();
let nextId = 1;
const modulesOnWorkers = new Set<string>();
const standardGlobals = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  'require',
  'module',
  'exports',
  '__filename',
  '__dirname',
  'undefined',
  'NaN',
  'Infinity',
  'globalThis',
]);
let builtins: Map<AnyFunction, string> | undefined;

// The package's exports, which functions shipped by source may use by name.
// The package face (src/index.ts, above this layer) hands them over when it loads.
let packageScope: (() => Record<string, unknown>) | undefined;

/** @internal: called once by the package face. */
export function providePackageScope(scope: () => Record<string, unknown>): void {
  packageScope = scope;
}

function api(): Record<string, unknown> {
  if (!packageScope)
    throw new Error("mpi-loop: the package's exports are not loaded on this rank (import 'mpi-loop' first)");
  return packageScope();
}

export function functionName(f: AnyFunction): string {
  return f.name || '<anonymous>';
}

const isNative = (f: AnyFunction): boolean => /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f));

/**
 * Built-ins by their path from globalThis (Math.max, parseInt, Map, ...).
 * Only native functions held in data properties count: a global function
 * the program defined (a REPL declaration) is not a built-in, and getters
 * are not read (some load modules on first access).
 */
function builtinPaths(): Map<AnyFunction, string> {
  if (builtins) return builtins;
  builtins = new Map();
  const add = (holder: object, key: string, path: string): void => {
    const desc = Object.getOwnPropertyDescriptor(holder, key);
    const value: unknown = desc && 'value' in desc ? desc.value : undefined;
    if (typeof value === 'function' && isNative(value) && !builtins!.has(value)) builtins!.set(value, path);
  };
  for (const name of Object.getOwnPropertyNames(globalThis)) add(globalThis, name, name);
  for (const ns of [
    'Math',
    'JSON',
    'Number',
    'String',
    'Object',
    'Array',
    'Reflect',
    'Promise',
    'Date',
    'BigInt',
    'Atomics',
    'console',
  ]) {
    const desc = Object.getOwnPropertyDescriptor(globalThis, ns);
    const holder = desc && 'value' in desc ? (desc.value as object | undefined) : undefined;
    if (!holder) continue;
    for (const key of Object.getOwnPropertyNames(holder)) add(holder, key, `${ns}.${key}`);
  }
  return builtins;
}

// Where each exported function lives, so that naming a function costs a map
// lookup rather than a walk over every module's exports (~1 us per export
// read, through the getters compilers emit for re-exports: milliseconds for
// a few dozen modules, paid by the first command that names each function).
// A module is indexed when first seen and again when its exports object is
// replaced; a hit is checked against the module before use, and a miss falls
// back to a full walk, which finds exports added or reassigned since.
type ExportSite = { kind: 'c'; file: string; key?: string } | { kind: 'm'; url: string; key: string };
const exportSites = new WeakMap<AnyFunction, ExportSite>();
const indexedCjs = new Map<string, unknown>();
const indexedEsm = new Map<string, Namespace>();

function readExport(ex: unknown, key: string): unknown {
  try {
    return (ex as Record<string, unknown>)[key];
  } catch {
    return undefined; // a getter that throws, or an ES binding not yet initialised
  }
}

function indexSite(value: unknown, site: ExportSite): void {
  if (typeof value === 'function' && !exportSites.has(value)) exportSites.set(value, site);
}

function indexModules(all: boolean): void {
  const entry = entryPoint();
  const cache = require.cache;
  for (const file in cache) {
    const mod = cache[file];
    if (!mod || file === entry.file) continue;
    const ex = mod.exports as unknown;
    if (!all && indexedCjs.get(file) === ex) continue;
    indexedCjs.set(file, ex);
    indexSite(ex, { kind: 'c', file });
    if (ex === null || (typeof ex !== 'object' && typeof ex !== 'function')) continue;
    for (const key of Object.keys(ex)) indexSite(readExport(ex, key), { kind: 'c', file, key });
  }
  for (const [url, ns] of esmModules) {
    if (url === entry.url || (!all && indexedEsm.get(url) === ns)) continue;
    indexedEsm.set(url, ns);
    for (const key of Object.keys(ns)) indexSite(readExport(ns, key), { kind: 'm', url, key });
  }
}

/** The descriptor of f's export site, if it is still there. */
function siteDescriptor(f: AnyFunction): CommonJSDescriptor | ESModuleDescriptor | undefined {
  const site = exportSites.get(f);
  if (!site) return undefined;
  const nm = functionName(f);
  if (site.kind === 'm') {
    if (readExport(esmModules.get(site.url), site.key) === f) return { i: 0, nm, m: site.url, e: site.key };
  } else {
    const ex = require.cache[site.file]?.exports as unknown;
    if (site.key === undefined ? ex === f : readExport(ex, site.key) === f) {
      return site.key === undefined ? { i: 0, nm, c: site.file } : { i: 0, nm, c: site.file, e: site.key };
    }
  }
  exportSites.delete(f);
  return undefined;
}

function findExport(f: AnyFunction): CommonJSDescriptor | ESModuleDescriptor | undefined {
  indexModules(false);
  const found = siteDescriptor(f);
  if (found) return found;
  indexModules(true);
  return siteDescriptor(f);
}

function refuse(f: AnyFunction, path: string, why: string): never {
  throw new EncodeError(
    path,
    `the function "${functionName(f)}" cannot go to the other ranks: ${why}. ` +
      'Export it from a module other than the main script (it then goes by reference), ' +
      'or make it self-contained and pass what it needs as arguments',
  );
}

// What TypeScript (`mpi_loop_1`) and Babel (`_mpiLoop`) call the binding of
// `import ... from 'mpi-loop'` when they compile to CommonJS: a function
// using it uses the package, which every rank has.
const PACKAGE_ALIAS = /^(mpi_loop_\d+|_mpiLoop\d*)$/;

function describeBySource(f: AnyFunction, path: string): SourceDescriptor {
  const src = Function.prototype.toString.call(f);
  if (isNative(f)) {
    refuse(f, path, 'it is a native or bound function that no module exports');
  }
  let analysis;
  try {
    analysis = analyzeSource(src);
  } catch (e) {
    refuse(f, path, `its source could not be parsed (${(e as Error).message})`);
  }
  if (analysis.capturesThis)
    refuse(f, path, 'it is an arrow function that uses `this` (or `arguments`) of its enclosing scope');
  if (analysis.usesImport)
    refuse(
      f,
      path,
      'it calls import(), which a function sent by source cannot do there (load the module with importModule first)',
    );
  const exports = api();
  const apiNames = analysis.free.filter(
    (n) => Object.prototype.hasOwnProperty.call(exports, n) && !standardGlobals.has(n),
  );
  const aliases = analysis.free.filter((n) => PACKAGE_ALIAS.test(n));
  const captured = analysis.free.filter(
    (n) => !standardGlobals.has(n) && !apiNames.includes(n) && !aliases.includes(n),
  );
  if (captured.length > 0) {
    const list = captured.map((n) => `"${n}"`).join(', ');
    refuse(f, path, `it uses ${list}, ${captured.length > 1 ? 'variables' : 'a variable'} from its enclosing scope`);
  }
  const d: SourceDescriptor = { i: 0, nm: functionName(f), s: src };
  if (analysis.method) d.w = 1;
  if (apiNames.length > 0) d.n = apiNames;
  if (aliases.length > 0) d.a = aliases;
  return d;
}

function describe(f: AnyFunction, path: string): FunctionDescriptor {
  const builtin = builtinPaths().get(f);
  if (builtin) return { i: 0, nm: functionName(f), g: builtin };
  return findExport(f) ?? describeBySource(f, path);
}

/**
 * The reference to send for f. With a command context: the id if every rank
 * has f already, else its descriptor (recorded in the context to mark sent).
 * Without one (plain comm.send): always the full descriptor.
 */
export function refFor(f: AnyFunction, path: string, context: CommandContext | null): FunctionRef {
  let entry = known.get(f);
  if (!entry) {
    const d = describe(f, path);
    entry = { id: nextId++, d, sent: false };
    d.i = entry.id;
    known.set(f, entry);
  }
  if (!context) return { ...entry.d, i: 0 };
  if (entry.sent) return entry.id;
  context.pending.push(entry);
  if ('m' in entry.d && !modulesOnWorkers.has(entry.d.m)) context.modules.add(entry.d.m);
  return entry.d;
}

/** After a command went out: its descriptors and modules are known everywhere. */
export function commit(context: CommandContext): void {
  for (const entry of context.pending) entry.sent = true;
  for (const url of context.modules) modulesOnWorkers.add(url);
}

// ---- the receiving side ------------------------------------------------------

/** A function refers to an ES module this rank has not imported yet (importModule(moduleUrl) fixes it). */
export class ModuleNotLoadedError extends Error {
  readonly moduleUrl: string;

  constructor(functionName: string, moduleUrl: string) {
    super(`function "${functionName}": module ${moduleUrl} is not loaded on this rank (import it first)`);
    this.name = 'ModuleNotLoadedError';
    this.moduleUrl = moduleUrl;
  }
}

const byId = new Map<number, AnyFunction>();
const compiled = new Map<string, AnyFunction>();
const sourceRequire = createRequire(path.join(process.cwd(), '[mpi-loop function]'));

function compile(d: SourceDescriptor): AnyFunction {
  const names = d.n ?? [];
  const aliases = (d.a ?? []).filter((n) => PACKAGE_ALIAS.test(n));
  const key = `${names.join(',')}\u0000${aliases.join(',')}\u0000${d.w ?? 0}\u0000${d.s}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const body = d.w ? `Object.values({${d.s}\n})[0]` : `(${d.s}\n)`;
  const bindAliases = aliases.map((n) => `const ${n} = __mpiLoopApi;`).join(' ');
  const factory = vm.runInThisContext(
    `(function (require, __mpiLoopApi) { const { ${names.join(', ')} } = __mpiLoopApi; ${bindAliases} return ${body}; })`,
    { filename: `mpi-loop:function:${d.nm}` },
  ) as (req: NodeRequire, api: Record<string, unknown>) => AnyFunction;
  const f = factory(sourceRequire, api());
  compiled.set(key, f);
  return f;
}

function materialize(d: FunctionDescriptor): AnyFunction {
  let f: unknown;
  if ('s' in d) {
    f = compile(d);
  } else if ('c' in d) {
    const ex = require(d.c) as Record<string, unknown>;
    f = d.e === undefined ? ex : ex[d.e];
  } else if ('m' in d) {
    const ns = esmModules.get(d.m);
    if (!ns) throw new ModuleNotLoadedError(d.nm, d.m);
    f = ns[d.e];
  } else {
    f = d.g.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], globalThis);
  }
  if (typeof f !== 'function') {
    throw new Error(`function "${d.nm}" could not be found on this rank (${JSON.stringify({ ...d, s: undefined })})`);
  }
  return f;
}

/** The function a reference names; descriptors with an id are remembered for later commands. */
export function resolveRef(r: FunctionRef): AnyFunction {
  if (typeof r === 'number') {
    const f = byId.get(r);
    if (!f) throw new Error(`unknown function id ${r}: its first command did not reach this rank`);
    return f;
  }
  const f = materialize(r);
  if (r.i) byId.set(r.i, f);
  return f;
}

/** Imports ES modules named by a LOAD command and records their namespaces. */
export async function importModules(urls: string[]): Promise<void> {
  for (const url of urls) {
    if (!esmModules.has(url)) esmModules.set(url, (await import(url)) as Record<string, unknown>);
  }
}

let currentContext: CommandContext | null = null;

/** While a command is encoded, functions are referred to by id where the other ranks know them. */
export function enterCommandContext(context: CommandContext): CommandContext | null {
  const previous = currentContext;
  currentContext = context;
  return previous;
}

export function leaveCommandContext(previous: CommandContext | null): void {
  currentContext = previous;
}

registerExtension<AnyFunction, FunctionRef>({
  name: 'mpi-loop.function',
  isApplicable: (v): v is AnyFunction => typeof v === 'function',
  serialize: (f, path) => refFor(f, path, currentContext),
  deserialize: (r) => resolveRef(r),
});
