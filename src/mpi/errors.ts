/** An error reported by the MPI library; the message is MPI_Error_string's text. */
export class MPIError extends Error {
  /** MPI_Error_class of the code. */
  readonly errorClass: number;
  /** The raw MPI error code. */
  readonly errorCode: number;
  /** For ERR_IN_STATUS from a set of requests: each request's own error, by index (undefined where it succeeded). */
  errors?: ReadonlyArray<Error | undefined>;

  constructor(message: string, errorClass: number, errorCode: number = errorClass) {
    super(message);
    this.name = 'MPIError';
    this.errorClass = errorClass;
    this.errorCode = errorCode;
  }
}
