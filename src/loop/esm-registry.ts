// ES modules have no require.cache: a loader hook (esm-hooks) appends to every
// file: module a line that hands its own namespace to this registry, so rank 0
// can find which module exports a function. Workers add the modules they
// import for LOAD commands.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Namespace = Record<string, unknown>;

export const esmModules = new Map<string, Namespace>();

let hooksActive = false;
/** True once the loader hooks register ES modules (the preload ran on rank 0). */
export function esmHooksActive(): boolean {
  return hooksActive;
}
export function markEsmHooksActive(): void {
  hooksActive = true;
}

const REGISTRY_KEY = Symbol.for('mpi-loop.esm-registry');
(globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = (url: string, ns: Namespace): void => {
  esmModules.set(url, ns);
};

// Computed once per value of require.main, which a CommonJS main script sets
// only after the preload has run (until then the path is argv's, perhaps
// without its extension).
let entry: { file?: string; url?: string } | undefined;
let entryMain: NodeJS.Module | undefined;

/** The main script, whose exports cannot be imported elsewhere without running it again. */
export function entryPoint(): { file?: string; url?: string } {
  if (entry && entryMain === require.main) return entry;
  entryMain = require.main;
  const script = process.argv[1];
  if (!script) return (entry = {});
  const file = require.main?.filename ?? path.resolve(script);
  return (entry = { file, url: pathToFileURL(file).href });
}
