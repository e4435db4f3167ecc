// Matched probes and receives (MPI_Mprobe/MPI_Improbe, MPI_Mrecv), and
// receiving a matched message into a fresh ArrayBuffer of exactly its size:
// shared by probeRecv, tryProbeRecv, the Message API and the iprobeRecv engine.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

struct WireBuffer;

// MPI_Mprobe (or, with yielding waits, MPI_Improbe until it matches).
void MatchedProbe(Napi::Env env, int source, int tag, MPI_Comm comm,
                  MPI_Message* message, MPI_Status* status);

// MPI_Mrecv of a matched message into `wire` (or, with yielding waits,
// MPI_Imrecv tested until it completes).
void MatchedReceive(Napi::Env env, const WireBuffer& wire, MPI_Message* message,
                    MPI_Status* status);

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
