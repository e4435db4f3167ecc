// The nonblocking engine: MPI requests (isend, isendParts, irecv, ibarrier)
// and probe-receives (iprobeRecv: pending until MPI_Improbe matches, then
// MPI_Imrecv into a new ArrayBuffer). Buffers stay referenced until
// completion; completions are delivered to the JS completion callback by the
// poller, unless test() finds them first (it completes every kind, probe-
// receives included, and then returns their data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// One poll step: tests everything pending and delivers completions to the
// callback. Returns the number of operations that made progress.
int RunPoll(napi_env env);
// Requests and probe-receives not yet delivered.
size_t PendingCount();

// Before MPI_Comm_free: pending (unmatched) probe-receives on `comm` would
// otherwise probe a dead communicator; they complete as cancelled.
void CancelProbeReceivesOn(MPI_Comm comm);

// Registers a nonblocking collective's request (the new-communicator and
// neighbourhood families): it completes like ibarrier, with an empty status,
// and keeps `pins` (the views MPI reads or writes) alive until then.
int32_t PostCollectiveRequest(Napi::Env env, MPI_Comm comm, MPI_Request request,
                              const std::vector<napi_value>& pins);
// Hands a posted send (is_send) or receive to the engine, which completes
// it like an isend/irecv; `pins` stay referenced until then. Returns its id.
int32_t TrackRequest(napi_env env, bool is_send, MPI_Comm comm, int peer,
                     int tag, double bytes, const std::vector<napi_value>& pins,
                     MPI_Request request);
// Receives a matched message into a new ArrayBuffer (MPI_Imrecv), delivered
// as the request's data like a probe-receive's. Returns the request id.
int32_t TrackMatchedReceive(napi_env env, MPI_Comm comm, MPI_Message* message,
                            const MPI_Status& probe_status);

// finalize(): cancels/frees MPI requests; buffers stay referenced...
void CancelPendingRequests();
// ...until this is called after MPI_Finalize.
void ReleasePendingRequests();
// Env teardown: drops every reference and the engine itself.
void DestroyRequests(napi_env env);

}  // namespace mpiloop
