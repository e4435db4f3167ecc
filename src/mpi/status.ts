/** The envelope of a received or probed message (mpi4py `Status`). */
export class Status {
  source = -1;
  tag = -1;
  /** Size of the message in bytes. */
  count = 0;
  error = 0;
  cancelled = false;

  /** Copies the native layer's [source, tag, countBytes, error, cancelled] record. */
  fill(record: Float64Array): this {
    this.source = record[0];
    this.tag = record[1];
    this.count = record[2];
    this.error = record[3];
    this.cancelled = record[4] !== 0;
    return this;
  }
}
