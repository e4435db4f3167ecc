// Starting the loop (pyMOR's launch_event_loop).
import { startDriving } from './call';
import { parallel, rank0 } from './state';
import { serveAndExit } from './worker';

/**
 * Rank 0: marks the loop running and returns at once; quit() runs at exit.
 * Ranks > 0: serve commands until quit(), then finalise and exit 0.
 */
export async function launchEventLoop(): Promise<void> {
  if (rank0) {
    if (parallel) startDriving();
    return;
  }
  await serveAndExit();
}
