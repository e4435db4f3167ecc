// The preload: `node -r mpi-loop/register script.js` (CommonJS) and
// `node --import mpi-loop/register script.mjs` (see register.mts).
// Ranks > 0 serve the event loop instead of running the script; with
// MPI_LOOP_AUTO_LAUNCH=0 the script runs on every rank and may call
// launchEventLoop() itself. Node also runs preloads in its module-hooks
// thread; MPI belongs to the main thread, so there it does nothing.
import { isMainThread } from 'node:worker_threads';

// Before any output: plain text when the person's output is not a terminal.
if (isMainThread) (require('./cli/colour') as typeof import('./cli/colour')).plainOutputWhenNotTerminal();

// The package face: functions shipped by source to this rank use its exports.
if (isMainThread) require('./index');

/** True on ranks > 0 when they serve the loop instead of running the script. */
export const workerServes: boolean = isMainThread
  ? (require('./loop/auto-launch') as typeof import('./loop/auto-launch')).autoLaunch()
  : false;

/** Serves until quit(), then exits: never resolves. */
export function serve(): Promise<never> {
  return (require('./loop/worker') as typeof import('./loop/worker')).serveAndExit();
}
