// pyMOR's auto launch, as the preload (src/register.ts) applies it: rank 0
// runs the script and drives the loop; ranks > 0 serve the loop instead.
import Module from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startDriving } from './call';
import { markEsmHooksActive } from './esm-registry';
import { eventLoopSettings } from './settings';
import { parallel, rank0 } from './state';
import { serveAndExit } from './worker';

/** Applies auto launch; returns true on ranks that serve instead of running the script. */
export function autoLaunch(): boolean {
  if (rank0) {
    // Lets rank 0 find functions exported by ES modules (see esm-hooks).
    Module.register(pathToFileURL(path.join(__dirname, 'esm-hooks.js')).href);
    markEsmHooksActive();
  }
  if (!eventLoopSettings().autoLaunch || !parallel) return false;
  if (rank0) {
    startDriving();
    return false;
  }
  // CommonJS preload: the main module never runs on this rank. (The ESM
  // preload holds the main module back with top-level await instead.)
  (Module as unknown as { runMain: () => void }).runMain = () => { void serveAndExit(); };
  if (!process.argv[1]) {
    // No script: Node would start its REPL; this rank serves instead.
    process.env.NODE_REPL_EXTERNAL_MODULE = path.join(__dirname, 'serve-main.js');
  }
  return true;
}
