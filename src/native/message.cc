#include "message.h"

#include "datatype.h"
#include "errors.h"
#include "status.h"
#include "watch.h"

namespace mpiloop {

Napi::ArrayBuffer AllocateForMessage(Napi::Env env, MPI_Message* message,
                                     double bytes) {
  try {
    return Napi::ArrayBuffer::New(env, static_cast<size_t>(bytes));
  } catch (const Napi::Error&) {
    // Receiving zero bytes consumes the message with a truncation error.
    MPI_Mrecv(nullptr, 0, MPI_BYTE, message, MPI_STATUS_IGNORE);
    throw;
  }
}

Napi::ArrayBuffer ReceiveMatched(Napi::Env env, MPI_Message* message,
                                 const MPI_Status& probe_status,
                                 MPI_Status* status) {
  double bytes = StatusBytes(probe_status);
  Napi::ArrayBuffer buffer = AllocateForMessage(env, message, bytes);
  WireBuffer wire = MakeWire(env, buffer.Data(), static_cast<MPI_Count>(bytes),
                             MPI_BYTE);
  RunBlocking(
      env, "MPI_Mrecv",
      [&] { return MPI_Mrecv(wire.buf, wire.count, wire.type, message, status); },
      "MPI_Imrecv",
      [&](MPI_Request* request) {
        return MPI_Imrecv(wire.buf, wire.count, wire.type, message, request);
      },
      {buffer}, status);
  return buffer;
}

}  // namespace mpiloop
