#include "message.h"

#include <cstdlib>
#include <string>

#include "blocking.h"
#include "datatype.h"
#include "errors.h"
#include "status.h"

namespace mpiloop {

// Large messages get uninitialised memory: V8 zero-fills its own
// allocations, which costs as much as receiving them. V8 is told of the
// memory so that garbage collection still sees its weight.
constexpr double kUninitializedFrom = 1 << 20;

Napi::ArrayBuffer AllocateUninitialized(Napi::Env env, size_t bytes) {
  void* data = std::malloc(bytes);
  if (data == nullptr)
    throw Napi::Error::New(env, "out of memory for a message of " +
                                    std::to_string(bytes) + " bytes");
  Napi::MemoryManagement::AdjustExternalMemory(env,
                                               static_cast<int64_t>(bytes));
  return Napi::ArrayBuffer::New(
      env, data, bytes,
      [](Napi::Env finalizeEnv, void* memory, size_t* size) {
        Napi::MemoryManagement::AdjustExternalMemory(
            finalizeEnv, -static_cast<int64_t>(*size));
        std::free(memory);
        delete size;
      },
      new size_t(bytes));
}

Napi::ArrayBuffer AllocateForMessage(Napi::Env env, MPI_Message* message,
                                     double bytes) {
  try {
    if (bytes >= kUninitializedFrom)
      return AllocateUninitialized(env, static_cast<size_t>(bytes));
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
  WireBuffer wire =
      MakeWire(env, buffer.Data(), static_cast<MPI_Count>(bytes), MPI_BYTE);
  MatchedReceive(env, wire, message, status);
  return buffer;
}

void MatchedProbe(Napi::Env env, int source, int tag, MPI_Comm comm,
                  MPI_Message* message, MPI_Status* status) {
  RunWaiting(
      env, "MPI_Mprobe",
      [&] { return MPI_Mprobe(source, tag, comm, message, status); },
      [&](int* done) {
        return MPI_Improbe(source, tag, comm, done, message, status);
      });
}

void MatchedReceive(Napi::Env env, const WireBuffer& wire, MPI_Message* message,
                    MPI_Status* status) {
  RunWaiting(
      env, "MPI_Mrecv",
      [&] {
        return MPI_Mrecv(wire.buf, wire.count, wire.type, message, status);
      },
      StartThenTest(
          [&](MPI_Request* r) {
            return MPI_Imrecv(wire.buf, wire.count, wire.type, message, r);
          },
          status));
}

}  // namespace mpiloop
