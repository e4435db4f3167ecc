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
export { Info, INFO_NULL } from './info';
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
  type ReduceFunction,
  type UserFunction,
  type OpBuffer,
} from './op';
export { PairBuffer, type PairType } from './pair-buffer';
export { registerExtension, EncodeError, DecodeError, type ValueExtension } from './codec';
export { spawnMerged, parentMerged, dynamicProcessesUnavailable, type SpawnInfo } from './spawn';
