// mpi-loop/parallel: higher layers built on the event loop (pools, typed proxies, PyOPUS and pySPACE APIs).
export { WorkerPool } from './worker-pool';
export { PoolError, type PoolFailure } from './pool-error';
export { distribute, proxyFor, construct } from './distribute';
export type {
  Distributed,
  DistributedHandle,
  Pushed,
  RemoteArg,
  RemoteArgs,
  MethodNames,
  ManageableNames,
} from './types';
export { VirtualMachine, TaskID, HostID, type MsgTaskExit, type MsgTaskResult } from './virtual-machine';
export { MpiBackend, type BackendStatus, type Consolidated, type Process } from './mpi-backend';
