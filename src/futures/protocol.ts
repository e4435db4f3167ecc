// The task protocol between the master and its workers, on point-to-point
// messages of one communicator reserved for it. Messages are plain JSON
// arrays where possible, so the codec takes its fast path; a function
// crosses once per worker (DEFINE, then its own message) and tasks refer to
// it by a small id.
//
// master -> worker, tag TASK_TAG:
//   [DEFINE, fid, name]  preceded by one message on FUNCTION_TAG holding the function itself
//   [TASKS, [[taskId, fid, items, single?], ...]]   items: one argument array per call (single: one argument)
//   [STOP]
// worker -> master, tag RESULT_TAG:
//   [HELLO, pid, host]
//   [RESULTS, busyMs, items, [[taskId, OK, values] | [taskId, FAILED, index, error, valuesBefore], ...]]
//   [NEED, fid]   the function message could not be decoded yet (an ES module was imported): send it again
//   [STOPPED]
import { describeThrown } from '../util/thrown';
export const TASK_TAG = 11;
export const RESULT_TAG = 12;
/** The function of a DEFINE travels on its own tag, sent first: if it cannot be encoded, nothing is sent. */
export const FUNCTION_TAG = 13;

export const enum Kind {
  Define = 0,
  Tasks = 1,
  Stop = 2,
  Hello = 3,
  Results = 4,
  Need = 5,
  Stopped = 6,
}
export const OK = 0;
export const FAILED = 1;

/** An exception raised by a task, as plain data. */
export interface ErrorRecord {
  name: string;
  message: string;
  stack: string;
}

export type WireTask = [taskId: number, fid: number, items: unknown[], single?: 1];
export type WireResult =
  | [taskId: number, ok: typeof OK, values: unknown[]]
  | [taskId: number, failed: typeof FAILED, index: number, error: ErrorRecord, valuesBefore: unknown[]];

export type ToWorker = [Kind.Define, number, string] | [Kind.Tasks, WireTask[]] | [Kind.Stop];
export type ToMaster =
  [Kind.Hello, number, string] | [Kind.Results, number, number, WireResult[]] | [Kind.Need, number] | [Kind.Stopped];

export function toErrorRecord(e: unknown): ErrorRecord {
  return describeThrown(e);
}
