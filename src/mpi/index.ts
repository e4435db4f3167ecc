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
export { Status } from './status';
export { Request } from './request';
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
  type VectorSpec,
  type ReduceBuffer,
} from './comm';
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
export { spawnMerged, parentMerged, type SpawnInfo } from './spawn';
