import { addon } from './environment';

/**
 * What a count is measured in: a TypedArray constructor (`Float64Array`,
 * `Int32Array`, ...: elements of that type), or `DataView` (bytes).
 */
export type CountUnit = { readonly BYTES_PER_ELEMENT: number } | DataViewConstructor;

function unitBytes(unit: CountUnit | undefined, where: string): number {
  if (unit === undefined || unit === DataView) return 1;
  const bytes = (unit as { BYTES_PER_ELEMENT?: unknown }).BYTES_PER_ELEMENT;
  if (typeof bytes !== 'number' || !(bytes > 0)) {
    throw new TypeError(`${where}: expected a TypedArray constructor (Float64Array, ...) or DataView`);
  }
  return bytes;
}

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

  /**
   * MPI_Get_count: the message's size in elements of `unit` (bytes by
   * default), or UNDEFINED when it is not a whole number of them.
   */
  getCount(unit?: CountUnit): number {
    return this.#whole(unitBytes(unit, 'getCount'));
  }

  /**
   * MPI_Get_elements: the number of basic elements of `unit` received. For
   * the element types a TypedArray carries it equals getCount().
   */
  getElements(unit?: CountUnit): number {
    return this.#whole(unitBytes(unit, 'getElements'));
  }

  #whole(bytes: number): number {
    return this.count % bytes === 0 ? this.count / bytes : addon().constants.UNDEFINED;
  }
}
