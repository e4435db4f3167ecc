// The one error of anything cancelled before it completed: an MPI request
// (Request.cancel) or a future (Future.cancel), as mpi4py and
// concurrent.futures both call it.

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  /** Node's code for an aborted operation, for code that checks `code`. */
  readonly code = 'ABORT_ERR';
  constructor(message = 'the operation was cancelled') {
    super(message);
  }
}
