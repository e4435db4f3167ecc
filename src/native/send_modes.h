// MPI's four send modes (standard, synchronous, buffered, ready), shared by
// the blocking, nonblocking and persistent sends: one argument spec and one
// switch per form, so every mode is validated and reported the same way.
#pragma once

#include <vector>

#include "comm_table.h"
#include "datatype.h"
#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// The numbers the JS layer passes.
enum class SendMode : int {
  kStandard = 0,
  kSynchronous = 1,
  kBuffered = 2,
  kReady = 3,
};

// A send's arguments (comm, buf or parts, dest, tag, mode at `mode_index`),
// validated before any MPI call.
struct SendSpec {
  CommEntry comm;
  std::vector<napi_value> pins;  // the views MPI reads
  WireBuffer wire;
  double bytes = 0;
  int dest = 0;
  int tag = 0;
  SendMode mode = SendMode::kStandard;
};

// info: (comm, buf | parts, dest, tag, mode). Parts (an array of views) are
// sent as one message; only_view rejects them (persistent sends).
SendSpec GetSendSpec(const Napi::CallbackInfo& info, bool only_view);

// "MPI_Bsend", "MPI_Issend", "MPI_Rsend_init", ... for error messages.
const char* SendFunctionName(SendMode mode, bool nonblocking, bool persistent);

// A buffered send (to a real rank) must fit the attached buffer: an MPIError
// of class ERR_BUFFER naming the sizes otherwise, before anything is sent.
void CheckBufferRoom(Napi::Env env, SendMode mode, int dest, double bytes,
                     const char* function);

// Throws the MPI error of a failed send; a buffered send that found no room
// says how much buffer is attached and how much the message needed.
[[noreturn]] void ThrowSendError(Napi::Env env, int rc, const SendSpec& spec,
                                 const char* function);

}  // namespace mpiloop
