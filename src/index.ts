// mpi-loop: MPI for Node.js. The mpi4py-like binding (COMM_WORLD, Comm, ...)
// and the pyMOR-like event loop (call, quit, the object registry, ...).
export * from './mpi/index';
export * from './loop/index';
export { TimeoutError } from './util/timeout';

// Functions shipped by source see the package's exports by name (comm, call, ...).
import { providePackageScope } from './loop/function-refs';
import * as face from './index';
providePackageScope(() => face as unknown as Record<string, unknown>);
