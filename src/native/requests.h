// The nonblocking engine: MPI requests (isend, isendParts, irecv, the
// nonblocking collectives) and probe-receives (iprobeRecv: pending until
// MPI_Improbe matches, then MPI_Imrecv into a new ArrayBuffer). Buffers stay
// referenced until completion; completions are delivered to the JS completion
// callback by the poller, unless test() finds them first (it completes every
// kind, probe- receives included, and then returns their data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// Registers a posted nonblocking collective (the collective families, the
// new-communicator and neighbourhood ones; MPI cannot cancel them): it
// completes like ibarrier, with an empty status; the views in `pins` stay
// referenced, and `keep` (its counts, displacements, datatypes, user op)
// alive, until then. Returns the request id.
int32_t RegisterCollective(napi_env env, MPI_Comm comm, MPI_Request request,
                           const std::vector<napi_value>& pins,
                           std::shared_ptr<void> keep = nullptr);

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
