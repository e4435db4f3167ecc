// Receiving a matched message (MPI_Mprobe/MPI_Improbe) into a fresh
// ArrayBuffer of exactly its size: shared by probeRecv, tryProbeRecv and the
// iprobeRecv engine.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// Allocates the buffer for a matched message of `bytes` bytes. If allocation
// fails the message is consumed (so it is not left matched forever) and the
// error is rethrown.
Napi::ArrayBuffer AllocateForMessage(Napi::Env env, MPI_Message* message,
                                     double bytes);

// probe_status: the status from the matching probe. The receive status goes
// to *status.
Napi::ArrayBuffer ReceiveMatched(Napi::Env env, MPI_Message* message,
                                 const MPI_Status& probe_status,
                                 MPI_Status* status);

}  // namespace mpiloop
