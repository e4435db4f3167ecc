// The mpi4py-like API: the MPI environment, communicators, requests and the value codec.
export {
  available,
  wtime,
  wtick,
  processorName,
  libraryVersion,
  version,
  isInitialized,
  isFinalized,
  queryThread,
  abort,
  finalize,
  addonInfo,
  type AddonInfo,
} from './environment';
export { MPIError } from './errors';
export { Status, type CountUnit } from './status';
export { Request, REQUEST_NULL, type RequestLike } from './request';
export type { RequestValues } from './request-sets';
export { Prequest } from './prequest';
export { Message, MESSAGE_NULL, MESSAGE_NO_PROC } from './message';
export { attachBuffer, detachBuffer, BSEND_OVERHEAD } from './bsend-buffer';
export * from './error-classes';
export { CancelledError } from '../util/cancelled';
export {
  Comm,
  COMM_WORLD,
  COMM_SELF,
  COMM_NULL,
  ANY_SOURCE,
  ANY_TAG,
  PROC_NULL,
  UNDEFINED,
  IN_PLACE,
  ROOT,
  COMM_TYPE_SHARED,
  CART,
  GRAPH,
  DIST_GRAPH,
  type VectorSpec,
  type Periods,
  type ReduceBuffer,
} from './comm';
export { Group, GROUP_EMPTY, IDENT, CONGRUENT, SIMILAR, UNEQUAL, type Ranks, type RankRange } from './group';
export { Info, INFO_NULL, type InfoLike } from './info';
export { TopoComm, CartComm, GraphComm, DistGraphComm, computeDims } from './topology';
export {
  Op,
  SUM,
  PROD,
  MIN,
  MAX,
  LAND,
  LOR,
  LXOR,
  BAND,
  BOR,
  BXOR,
  MAXLOC,
  MINLOC,
  REPLACE,
  NO_OP,
  type ReduceFunction,
  type UserFunction,
  type OpBuffer,
} from './op';
export { PairBuffer, type PairType } from './pair-buffer';
export type { BufferView, BufferSpec } from '../native/addon';
export {
  Datatype,
  datatypeOf,
  ORDER_C,
  ORDER_FORTRAN,
  CHAR,
  SIGNED_CHAR,
  UNSIGNED_CHAR,
  BYTE,
  WCHAR,
  SHORT,
  UNSIGNED_SHORT,
  INT,
  UNSIGNED,
  UNSIGNED_INT,
  LONG,
  UNSIGNED_LONG,
  LONG_LONG,
  UNSIGNED_LONG_LONG,
  FLOAT,
  DOUBLE,
  LONG_DOUBLE,
  C_BOOL,
  BOOL,
  INT8_T,
  INT16_T,
  INT32_T,
  INT64_T,
  UINT8_T,
  UINT16_T,
  UINT32_T,
  UINT64_T,
  AINT,
  OFFSET,
  COUNT,
  PACKED,
  SHORT_INT,
  TWOINT,
  LONG_INT,
  FLOAT_INT,
  DOUBLE_INT,
  LONG_DOUBLE_INT,
} from './datatype';
export {
  Win,
  LOCK_EXCLUSIVE,
  LOCK_SHARED,
  MODE_NOCHECK,
  MODE_NOSTORE,
  MODE_NOPUT,
  MODE_NOPRECEDE,
  MODE_NOSUCCEED,
  type Target,
  type ViewConstructor,
} from './win';
export {
  File,
  MODE_RDONLY,
  MODE_WRONLY,
  MODE_RDWR,
  MODE_CREATE,
  MODE_EXCL,
  MODE_DELETE_ON_CLOSE,
  MODE_UNIQUE_OPEN,
  MODE_SEQUENTIAL,
  MODE_APPEND,
  SEEK_SET,
  SEEK_CUR,
  SEEK_END,
} from './file';
export { registerExtension, EncodeError, DecodeError, type ValueExtension } from './codec';
export { spawnMerged, parentMerged, dynamicProcessesUnavailable, type SpawnInfo } from './spawn';
