import { describeThrown } from '../util/thrown';
/** What a rank reports about an exception it raised while running a command. */
export interface RemoteErrorRecord {
  rank: number;
  name: string;
  message: string;
  stack: string;
  /** The name of the function the failed command ran. */
  command: string;
  /** The command's sequence number (1 for the first call). */
  seq: number;
}

/**
 * An exception raised on another rank, delivered to rank 0. With several
 * failing ranks, `errors` holds one RemoteError per rank and the top-level
 * fields describe the first.
 */
export class RemoteError extends Error {
  readonly rank: number;
  readonly remoteName: string;
  readonly remoteStack: string;
  /** Name of the function whose command failed. */
  readonly command: string;
  readonly seq: number;
  readonly errors: RemoteError[];
  /** True when the failure left the world unable to continue (the job will end). */
  fatal = false;
  #localStack: string;

  constructor(record: RemoteErrorRecord, others: RemoteError[] = []) {
    const more = others.length > 1 ? ` (and ${others.length - 1} more rank${others.length > 2 ? 's' : ''})` : '';
    super(`rank ${record.rank}: ${record.name}: ${record.message} [in ${record.command}]${more}`);
    this.name = 'RemoteError';
    this.rank = record.rank;
    this.remoteName = record.name;
    this.remoteStack = record.stack;
    this.command = record.command;
    this.seq = record.seq;
    this.errors = others.length > 0 ? others : [this];
    this.#localStack = (this.stack ?? '').split('\n').slice(1).join('\n');
    this.#composeStack();
  }

  // What a person reads first is the remote stack; ours follows.
  #composeStack(): void {
    this.stack = `${withRemoteStack(this)}\n    --- local stack ---\n${this.#localStack}`;
  }

  /** @internal: the failure left the world unable to continue. */
  markFatal(why: string): this {
    this.fatal = true;
    this.message += `; ${why}`;
    this.#composeStack();
    return this;
  }

  /** One error for the records of one or more ranks (sorted by rank, then sequence). */
  static from(records: RemoteErrorRecord[]): RemoteError {
    const sorted = [...records].sort((a, b) => a.seq - b.seq || a.rank - b.rank);
    if (sorted.length === 1) return new RemoteError(sorted[0]);
    const each = sorted.map((r) => new RemoteError(r));
    return new RemoteError(sorted[0], each);
  }
}

function withRemoteStack(e: RemoteError): string {
  return `${e.name}: ${e.message}\n    --- remote stack (rank ${e.rank}) ---\n${indent(e.remoteStack)}`;
}

/**
 * What rank 0 prints when this failure leaves it blocked in MPI with the
 * failed rank (the failure watchdog): the error and its remote stack.
 */
export function fatalReport(record: RemoteErrorRecord): string {
  return withRemoteStack(
    new RemoteError(record).markFatal('rank 0 was waiting for it in an MPI call, so the job cannot continue'),
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l.trimStart()}`)
    .join('\n');
}

/** Turns anything thrown into a record a RemoteError can be made from. */
export function toRecord(e: unknown, rank: number, command: string, seq: number): RemoteErrorRecord {
  return { rank, ...describeThrown(e), command, seq };
}
