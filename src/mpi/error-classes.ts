// MPI's error classes as values (mpi4py `MPI.ERR_*`): compare them with
// MPIError.errorClass. They come from the mpi.h the addon was compiled
// against (Open MPI and MPICH number them differently); the serial fallback
// uses Open MPI's numbers.
import { openMpiErrorClasses } from './error-class-numbers';
import { addon } from './environment';

const C = addon().errorClasses ?? openMpiErrorClasses;

export const SUCCESS: number = C.SUCCESS;
export const ERR_BUFFER: number = C.ERR_BUFFER;
export const ERR_COUNT: number = C.ERR_COUNT;
export const ERR_TYPE: number = C.ERR_TYPE;
export const ERR_TAG: number = C.ERR_TAG;
export const ERR_COMM: number = C.ERR_COMM;
export const ERR_RANK: number = C.ERR_RANK;
export const ERR_REQUEST: number = C.ERR_REQUEST;
export const ERR_ROOT: number = C.ERR_ROOT;
export const ERR_GROUP: number = C.ERR_GROUP;
export const ERR_OP: number = C.ERR_OP;
export const ERR_TOPOLOGY: number = C.ERR_TOPOLOGY;
export const ERR_DIMS: number = C.ERR_DIMS;
export const ERR_ARG: number = C.ERR_ARG;
export const ERR_UNKNOWN: number = C.ERR_UNKNOWN;
export const ERR_TRUNCATE: number = C.ERR_TRUNCATE;
export const ERR_OTHER: number = C.ERR_OTHER;
export const ERR_INTERN: number = C.ERR_INTERN;
export const ERR_IN_STATUS: number = C.ERR_IN_STATUS;
export const ERR_PENDING: number = C.ERR_PENDING;
export const ERR_KEYVAL: number = C.ERR_KEYVAL;
export const ERR_NO_MEM: number = C.ERR_NO_MEM;
export const ERR_BASE: number = C.ERR_BASE;
export const ERR_INFO_KEY: number = C.ERR_INFO_KEY;
export const ERR_INFO_VALUE: number = C.ERR_INFO_VALUE;
export const ERR_INFO_NOKEY: number = C.ERR_INFO_NOKEY;
export const ERR_SPAWN: number = C.ERR_SPAWN;
export const ERR_PORT: number = C.ERR_PORT;
export const ERR_SERVICE: number = C.ERR_SERVICE;
export const ERR_NAME: number = C.ERR_NAME;
export const ERR_WIN: number = C.ERR_WIN;
export const ERR_SIZE: number = C.ERR_SIZE;
export const ERR_DISP: number = C.ERR_DISP;
export const ERR_INFO: number = C.ERR_INFO;
export const ERR_LOCKTYPE: number = C.ERR_LOCKTYPE;
export const ERR_ASSERT: number = C.ERR_ASSERT;
export const ERR_RMA_CONFLICT: number = C.ERR_RMA_CONFLICT;
export const ERR_RMA_SYNC: number = C.ERR_RMA_SYNC;
export const ERR_RMA_RANGE: number = C.ERR_RMA_RANGE;
export const ERR_RMA_ATTACH: number = C.ERR_RMA_ATTACH;
export const ERR_RMA_SHARED: number = C.ERR_RMA_SHARED;
export const ERR_RMA_FLAVOR: number = C.ERR_RMA_FLAVOR;
export const ERR_FILE: number = C.ERR_FILE;
export const ERR_NOT_SAME: number = C.ERR_NOT_SAME;
export const ERR_AMODE: number = C.ERR_AMODE;
export const ERR_UNSUPPORTED_DATAREP: number = C.ERR_UNSUPPORTED_DATAREP;
export const ERR_UNSUPPORTED_OPERATION: number = C.ERR_UNSUPPORTED_OPERATION;
export const ERR_NO_SUCH_FILE: number = C.ERR_NO_SUCH_FILE;
export const ERR_FILE_EXISTS: number = C.ERR_FILE_EXISTS;
export const ERR_BAD_FILE: number = C.ERR_BAD_FILE;
export const ERR_ACCESS: number = C.ERR_ACCESS;
export const ERR_NO_SPACE: number = C.ERR_NO_SPACE;
export const ERR_QUOTA: number = C.ERR_QUOTA;
export const ERR_READ_ONLY: number = C.ERR_READ_ONLY;
export const ERR_FILE_IN_USE: number = C.ERR_FILE_IN_USE;
export const ERR_DUP_DATAREP: number = C.ERR_DUP_DATAREP;
export const ERR_CONVERSION: number = C.ERR_CONVERSION;
export const ERR_IO: number = C.ERR_IO;
export const ERR_LASTCODE: number = C.ERR_LASTCODE;
