// The event loop's communicators and run state. The loop uses three dups of
// COMM_WORLD, made together and in the same order on every rank: `comm` for
// the user's functions, one for commands (rank 0 -> workers) and one for
// statuses (workers -> rank 0), so a user's ANY_TAG receive can never take a
// command and a command can never match a user's message. On rank 0's host
// the same step makes the command ring (command-ring.ts).
import { COMM_WORLD, Comm } from '../mpi/comm';
import { native } from '../mpi/environment';
import { openCommandRing } from './command-ring';
import { adoptSettings, commandRing, sharedSettings, type SharedSettings } from './settings';

export const COMMAND_TAG = 1;
/** Status tags (workers -> rank 0): final statuses, doorbell addresses, error reports. */
export const FINAL_TAG = 1;
export const DOORBELL_TAG = 2;
export const ERROR_TAG = 3;

export const rank: number = COMM_WORLD.rank;
export const size: number = COMM_WORLD.size;
export const rank0: boolean = rank === 0;
export const parallel: boolean = size > 1;

let handles: { user: number; command: number; status: number } | null = null;

/**
 * Creates the loop's communicators on first use (a collective over
 * COMM_WORLD), and in the same collective step gives every rank rank 0's
 * loop settings: they then agree whatever each host's environment says.
 */
export function loopComms(): { user: number; command: number; status: number } {
  if (!handles) {
    const N = native();
    handles = { user: N.commDup(0), command: N.commDup(0), status: N.commDup(0) };
    const shared = new Comm(handles.command).bcast<SharedSettings | null>(rank === 0 ? sharedSettings() : null, 0);
    if (rank !== 0 && shared) adoptSettings(shared);
    if (commandRing) openCommandRing(handles.command);
  }
  return handles;
}

class LoopComm extends Comm {
  override get handle(): number {
    return loopComms().user;
  }
}

/** The event loop's communicator, for the functions run by call(): a dup of COMM_WORLD. */
export const comm: Comm = new LoopComm(-2);

export const state = {
  /** Rank 0: the workers are serving. Workers: inside eventLoop(). */
  running: false,
  /** Set when a failure left the world unable to continue. */
  broken: null as string | null,
  /** Number of commands sent (rank 0) or received (workers). */
  seq: 0,
};
