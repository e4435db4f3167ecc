// What each rank reports back for a pool task: its value, or the error it
// raised (with the map item that raised it). Errors travel as plain records so
// that a failure never leaves the other ranks waiting in a collective.
import { EncodeError, type Comm } from '../mpi/index';
import { describeThrown } from '../util/thrown';

export interface ErrorInfo {
  name: string;
  message: string;
  stack: string;
}

export type Outcome = { v: unknown } | { e: ErrorInfo; item?: number };

export function errorInfo(e: unknown): ErrorInfo {
  return describeThrown(e);
}

/**
 * comm.gather of an outcome. A value the codec refuses is refused before
 * anything is sent, so this rank can still take part with an error record.
 */
export function gatherOutcome(comm: Comm, outcome: Outcome): Outcome[] | undefined {
  try {
    return comm.gather(outcome, 0) as Outcome[] | undefined;
  } catch (e) {
    if (!(e instanceof EncodeError) || !('v' in outcome)) throw e;
    return comm.gather({ e: errorInfo(e) }, 0) as Outcome[] | undefined;
  }
}

/** comm.send of an outcome, with the same fallback. */
export function sendOutcome(comm: Comm, outcome: Outcome, tag: number): void {
  try {
    comm.send(outcome, 0, tag);
  } catch (e) {
    if (!(e instanceof EncodeError) || !('v' in outcome)) throw e;
    comm.send({ e: errorInfo(e) }, 0, tag);
  }
}
