// pyMOR's auto launch, as the preload (src/register.ts) applies it: rank 0
// runs the script and drives the loop; ranks > 0 serve the loop instead.
// Without a script, rank 0 runs mpi-loop's REPL (src/repl) instead of Node's.
import Module from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isatty } from 'node:tty';
import { pathToFileURL } from 'node:url';
import { startDriving } from './call';
import { markEsmHooksActive } from './esm-registry';
import { eventLoopSettings } from './settings';
import { parallel, rank0, state } from './state';
import { serveAndExit } from './worker';

/** No script and no -e/-p: Node would start its REPL, or evaluate stdin when it is not a terminal. */
function noScript(): boolean {
  return !process.argv[1] && (process as { _eval?: string })._eval === undefined;
}

/** Node starts its REPL (and so honours NODE_REPL_EXTERNAL_MODULE) only on a terminal or with -i. */
function nodeStartsRepl(): boolean {
  return isatty(0) || process.execArgv.some((a) => a === '-i' || a === '--interactive');
}

/**
 * Rank 0 without a script: mpi-loop's REPL. On a terminal Node loads it in
 * place of its own REPL; otherwise Node would evaluate all of stdin as one
 * script (eval_stdin), so the REPL starts now and takes stdin from it.
 */
function startRepl(): void {
  const entry = path.join(__dirname, '..', 'repl', 'main.js');
  if (nodeStartsRepl()) process.env.NODE_REPL_EXTERNAL_MODULE = entry;
  else require(entry);
}

/**
 * Ranks > 0 never read stdin: srun feeds every task the same input as rank 0,
 * which would run a REPL's lines here as a script (Node evaluates a piped
 * stdin when there is no script). They see a stream that never yields data.
 */
function ignoreStdin(): void {
  const inert = new Readable({
    read() {
      /* nothing ever arrives */
    },
  });
  Object.defineProperty(process, 'stdin', { configurable: true, enumerable: true, get: () => inert });
}

/** Applies auto launch; returns true on ranks that serve instead of running the script. */
export function autoLaunch(): boolean {
  if (rank0) {
    // Lets rank 0 find functions exported by ES modules (see esm-hooks).
    Module.register(pathToFileURL(path.join(__dirname, 'esm-hooks.js')).href);
    markEsmHooksActive();
  }
  if (!eventLoopSettings().autoLaunch) return false;
  if (!parallel) {
    if (noScript()) startRepl();
    return false;
  }
  if (rank0) {
    startDriving();
    if (noScript()) startRepl();
    return false;
  }
  ignoreStdin();
  // CommonJS preload: the main module never runs on this rank. (The ESM
  // preload holds the main module back with top-level await instead.)
  (Module as unknown as { runMain: () => void }).runMain = () => {
    void serveAndExit();
  };
  if (noScript()) {
    // Node would start its REPL (on a terminal) or evaluate stdin (mpirun
    // gives ranks > 0 /dev/null): this rank serves instead.
    if (nodeStartsRepl()) process.env.NODE_REPL_EXTERNAL_MODULE = path.join(__dirname, 'serve-main.js');
    // (Deferred: the ESM preload, register.mts, may already have started serving.)
    else
      setImmediate(() => {
        if (!state.running) void serveAndExit();
      });
  }
  return true;
}
