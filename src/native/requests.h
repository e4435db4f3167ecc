// The nonblocking engine: MPI requests (isend, isendParts, irecv, ibarrier)
// and probe-receives (iprobeRecv: pending until MPI_Improbe matches, then
// MPI_Imrecv into a new ArrayBuffer). Buffers stay referenced until
// completion; completions are delivered to the JS completion callback by the
// poller, unless test() finds them first (it completes every kind, probe-
// receives included, and then returns their data).
#pragma once

#include <cstddef>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// One poll step: tests everything pending and delivers completions to the
// callback. Returns the number of operations that made progress.
int RunPoll(napi_env env);
// Requests and probe-receives not yet delivered.
size_t PendingCount();

// Nonblocking MPI-IO (file.cc): completes through the poller like the
// others, status count = bytes moved; `pin` stays referenced until then.
int32_t RegisterFileRequest(Napi::Env env, MPI_Request request, napi_value pin);

// Before MPI_Comm_free: pending (unmatched) probe-receives on `comm` would
// otherwise probe a dead communicator; they complete as cancelled.
void CancelProbeReceivesOn(MPI_Comm comm);

// finalize(): cancels/frees MPI requests; buffers stay referenced...
void CancelPendingRequests();
// ...until this is called after MPI_Finalize.
void ReleasePendingRequests();
// Env teardown: drops every reference and the engine itself.
void DestroyRequests(napi_env env);

}  // namespace mpiloop
