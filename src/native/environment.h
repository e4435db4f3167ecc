// MPI lifetime: init/finalize state, the thread level, TAG_UB.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// True between a successful initialize() and finalize(): MPI calls allowed.
bool MpiUsable();
// Throws a JS Error unless MpiUsable().
void RequireMpi(Napi::Env env);
// MPI_TAG_UB of COMM_WORLD once initialised; 32767 (the MPI minimum) before.
int TagUpperBound();
// Cancels pending work, closes the poller and calls MPI_Finalize if MPI is
// usable. Throws an MPIError if MPI_Finalize fails.
void FinalizeMpi(Napi::Env env);
// At env teardown: finalizes only if this addon initialised MPI and nobody
// finalized it yet (mpirun treats an exit without MPI_Finalize as a failure).
void FinalizeAtCleanup(Napi::Env env);

}  // namespace mpiloop
