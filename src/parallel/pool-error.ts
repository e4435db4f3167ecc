// A pool task failed on one or more ranks: a RemoteError (so code that
// handles the loop's errors handles these too) that also names the map item.
import { RemoteError } from '../loop/index';
import type { ErrorInfo } from './outcome';

type RemoteErrorRecord = ConstructorParameters<typeof RemoteError>[0];

export interface PoolFailure extends ErrorInfo {
  rank: number;
  /** The index of the map item that raised (map only). */
  item?: number;
}

/** An exception raised by a WorkerPool task; `rank` and `item` say where. */
export class PoolError extends RemoteError {
  /** Index (in input order) of the map item that raised; undefined for apply and applyOnly. */
  readonly item: number | undefined;

  constructor(record: RemoteErrorRecord, item: number | undefined, others: PoolError[] = []) {
    super(record, others);
    this.name = 'RemoteError';
    this.item = item;
  }

  /** One error for the failures of one or more ranks, in rank order. */
  static fromFailures(operation: string, fname: string, failures: PoolFailure[]): PoolError {
    const sorted = [...failures].sort((a, b) => a.rank - b.rank);
    const record = (f: PoolFailure): RemoteErrorRecord => ({
      rank: f.rank,
      name: f.name,
      message: f.message,
      stack: f.stack,
      seq: 0,
      command: `${operation}(${fname})${f.item === undefined ? '' : `, item ${f.item}`}`,
    });
    if (sorted.length === 1) return new PoolError(record(sorted[0]), sorted[0].item);
    const each = sorted.map((f) => new PoolError(record(f), f.item));
    return new PoolError(record(sorted[0]), sorted[0].item, each);
  }
}
