// The serial fallback's datatypes, one-sided and I/O entries. Predefined
// datatypes work (a buffer spec with one becomes a plain view of the bytes
// it names); derived datatypes, windows and files need an MPI library and
// say so.
import type { BufferView as BufferArg, NativeAddon } from '../native/addon';

// [name, size, extent] of each predefined type, as a typical LP64 platform lays them out.
const PREDEFINED: ReadonlyArray<readonly [string, number, number]> = [
  ['CHAR', 1, 1],
  ['SIGNED_CHAR', 1, 1],
  ['UNSIGNED_CHAR', 1, 1],
  ['BYTE', 1, 1],
  ['WCHAR', 4, 4],
  ['SHORT', 2, 2],
  ['UNSIGNED_SHORT', 2, 2],
  ['INT', 4, 4],
  ['UNSIGNED', 4, 4],
  ['LONG', 8, 8],
  ['UNSIGNED_LONG', 8, 8],
  ['LONG_LONG', 8, 8],
  ['UNSIGNED_LONG_LONG', 8, 8],
  ['FLOAT', 4, 4],
  ['DOUBLE', 8, 8],
  ['LONG_DOUBLE', 16, 16],
  ['C_BOOL', 1, 1],
  ['INT8_T', 1, 1],
  ['INT16_T', 2, 2],
  ['INT32_T', 4, 4],
  ['INT64_T', 8, 8],
  ['UINT8_T', 1, 1],
  ['UINT16_T', 2, 2],
  ['UINT32_T', 4, 4],
  ['UINT64_T', 8, 8],
  ['AINT', 8, 8],
  ['OFFSET', 8, 8],
  ['COUNT', 8, 8],
  ['PACKED', 1, 1],
  ['SHORT_INT', 6, 8],
  ['TWOINT', 8, 8],
  ['LONG_INT', 12, 16],
  ['FLOAT_INT', 8, 8],
  ['DOUBLE_INT', 12, 16],
  ['LONG_DOUBLE_INT', 20, 32],
];

const noMpi = (what: string): never => {
  throw new Error(`${what}: no MPI library (serial fallback): ${what} needs MPI`);
};

function entry(handle: number): readonly [string, number, number] {
  const e = PREDEFINED[handle];
  if (!Number.isInteger(handle) || e === undefined) throw new TypeError('datatype must be a Datatype');
  return e;
}

function handleOf(d: unknown): number {
  const h = typeof d === 'number' ? d : (d as { datatypeHandle?: unknown } | null)?.datatypeHandle;
  if (typeof h !== 'number') throw new TypeError('the last element of a buffer spec must be a Datatype');
  return h;
}

/** A plain view of the bytes a buffer spec names (predefined datatypes only, as no other exists here). */
export function plain(b: BufferArg): ArrayBufferView {
  if (ArrayBuffer.isView(b)) return b;
  if (!Array.isArray(b) || (b.length !== 2 && b.length !== 3) || !ArrayBuffer.isView(b[0])) {
    throw new TypeError(
      'buf must be an ArrayBufferView or a buffer spec [buf, (count | [count, displacement],) datatype]',
    );
  }
  const base = b[0];
  const [, size, extent] = entry(handleOf(b[b.length - 1]));
  const shape = b.length === 3 ? b[1] : undefined;
  const [count, displ] = Array.isArray(shape) ? shape : [shape ?? Math.floor(base.byteLength / extent), 0];
  const start = displ * extent,
    end = start + (count > 0 ? (count - 1) * extent + size : 0);
  if (start < 0 || end > base.byteLength) {
    throw new RangeError(
      `buf: ${count} items at displacement ${displ} need ${end} bytes, the buffer holds ${base.byteLength}`,
    );
  }
  const K = (base as { constructor: { BYTES_PER_ELEMENT?: number } }).constructor;
  if (K.BYTES_PER_ELEMENT === size && (base.byteOffset + start) % size === 0) {
    return new (K as unknown as new (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView)(
      base.buffer,
      base.byteOffset + start,
      count,
    );
  }
  return new Uint8Array(base.buffer, base.byteOffset + start, end - start);
}

export function plainOrNull(b: BufferArg | null): ArrayBufferView | null {
  return b === null || b === undefined ? null : plain(b);
}

type TypeEntries = Pick<
  NativeAddon,
  | 'predefinedTypes'
  | 'typeConstants'
  | 'typeContiguous'
  | 'typeVector'
  | 'typeHvector'
  | 'typeIndexed'
  | 'typeIndexedBlock'
  | 'typeHindexed'
  | 'typeSubarray'
  | 'typeStruct'
  | 'typeResized'
  | 'typeDup'
  | 'typeCommit'
  | 'typeFree'
  | 'typeLayout'
  | 'typeName'
  | 'typeCommitted'
>;

export function serialTypes(): TypeEntries {
  const derived = (): never => noMpi('derived datatypes');
  return {
    predefinedTypes: Object.freeze(Object.fromEntries(PREDEFINED.map(([name], i) => [name, i]))),
    typeConstants: Object.freeze({ ORDER_C: 56, ORDER_FORTRAN: 57 }),
    typeContiguous: derived,
    typeVector: derived,
    typeHvector: derived,
    typeIndexed: derived,
    typeIndexedBlock: derived,
    typeHindexed: derived,
    typeSubarray: derived,
    typeStruct: derived,
    typeResized: derived,
    typeDup: derived,
    typeCommit: (h) => void entry(h),
    typeFree: (h) => {
      throw new Error(`free: MPI_${entry(h)[0]} is predefined and cannot be freed`);
    },
    typeLayout: (h) => {
      const [, size, extent] = entry(h);
      return Float64Array.of(size, 0, extent, 0, extent);
    },
    typeName: (h) => `MPI_${entry(h)[0]}`,
    typeCommitted: (h) => (entry(h), true),
  };
}

type Unavailable = Omit<
  { [K in keyof NativeAddon as K extends `win${string}` | `file${string}` ? K : never]: NativeAddon[K] },
  'winConstants' | 'fileConstants'
> &
  Pick<NativeAddon, 'winConstants' | 'fileConstants'>;

export function serialUnavailable(): Unavailable {
  const win = (): never => noMpi('one-sided communication (Win)');
  const file = (): never => noMpi('parallel I/O (File)');
  return {
    winConstants: Object.freeze({
      LOCK_EXCLUSIVE: 1,
      LOCK_SHARED: 2,
      MODE_NOCHECK: 1,
      MODE_NOSTORE: 2,
      MODE_NOPUT: 4,
      MODE_NOPRECEDE: 8,
      MODE_NOSUCCEED: 16,
    }),
    fileConstants: Object.freeze({
      MODE_RDONLY: 2,
      MODE_WRONLY: 4,
      MODE_RDWR: 8,
      MODE_CREATE: 1,
      MODE_EXCL: 64,
      MODE_DELETE_ON_CLOSE: 16,
      MODE_UNIQUE_OPEN: 32,
      MODE_SEQUENTIAL: 256,
      MODE_APPEND: 128,
      SEEK_SET: 600,
      SEEK_CUR: 602,
      SEEK_END: 604,
    }),
    winCreate: win,
    winAllocate: win,
    winMemory: win,
    winSizes: win,
    winSharedQuery: win,
    winFree: win,
    winPut: win,
    winGet: win,
    winAccumulate: win,
    winGetAccumulate: win,
    winFetchAndOp: win,
    winCompareAndSwap: win,
    winFence: win,
    winLock: win,
    winUnlock: win,
    winLockAll: win,
    winUnlockAll: win,
    winFlush: win,
    winFlushAll: win,
    winFlushLocal: win,
    winFlushLocalAll: win,
    winSync: win,
    fileOpen: file,
    fileClose: file,
    fileDelete: file,
    fileGetSize: file,
    fileSetSize: file,
    filePreallocate: file,
    fileSync: file,
    fileSetView: file,
    fileSeek: file,
    fileGetPosition: file,
    fileReadAt: file,
    fileReadAtAll: file,
    fileWriteAt: file,
    fileWriteAtAll: file,
    fileRead: file,
    fileReadAll: file,
    fileWrite: file,
    fileWriteAll: file,
    fileIreadAt: file,
    fileIwriteAt: file,
  };
}
