// mpi-loop/futures: mpi4py.futures for Node.js. PoolExecutor (MPIPoolExecutor)
// and CommExecutor (MPICommExecutor) run functions on the ranks of the job,
// or on spawned workers, and return Promise-based futures.
import '../index'; // the codec's function extension (functions go by reference or by source)

export { PoolExecutor, type PoolExecutorOptions, type ShutdownOptions, type PoolSource } from './pool-executor';
export { CommExecutor } from './comm-executor';
export { Future, CancelledError, BrokenExecutorError, type FutureState } from './future';
export type { MapOptions } from './map';
export { Progress } from './progress';
export { RemoteError } from '../index';
