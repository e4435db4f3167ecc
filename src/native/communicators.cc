// commRank/commSize/commDup/commSplit/commFree/commShadow.
#include <string>

#include "args.h"
#include "blocking.h"
#include "comm_table.h"
#include "errors.h"
#include "modules.h"
#include "requests.h"

namespace mpiloop {
namespace {

Napi::Value CommRank(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), GetComm(info.Env(), info[0]).rank);
}

Napi::Value CommSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), GetComm(info.Env(), info[0]).size);
}

Napi::Value CommDup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry parent = GetComm(env, info[0]);
  MPI_Comm comm = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Comm_dup",
              [&] { return MPI_Comm_dup(parent.comm, &comm); });
  return Napi::Number::New(env, AddComm(env, comm));
}

Napi::Value CommSplit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry parent = GetComm(env, info[0]);
  int color = ArgInt(info, 1, "color");
  int key = ArgInt(info, 2, "key");
  if (color < 0 && color != MPI_UNDEFINED) {
    ThrowRangeError(env, "color must be >= 0 or UNDEFINED (" +
                             std::to_string(MPI_UNDEFINED) + "), got " +
                             std::to_string(color));
  }
  MPI_Comm comm = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Comm_split",
              [&] { return MPI_Comm_split(parent.comm, color, key, &comm); });
  if (comm == MPI_COMM_NULL) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, AddComm(env, comm));
}

Napi::Value CommFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry entry = GetComm(env, info[0]);
  if (entry.handle != kCommWorld && entry.handle != kCommSelf) {
    CancelProbeReceivesOn(entry.comm);
  }
  FreeComm(env, entry.handle);
  return env.Undefined();
}

// The handle of the communicator's shadow (see comm_table.h).
Napi::Value CommShadow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry entry = GetComm(env, info[0]);
  if (entry.shadow < 0) {
    ThrowError(env, "communicator handle " + std::to_string(entry.handle) +
                        " is itself a shadow");
  }
  return Napi::Number::New(env, entry.shadow);
}

}  // namespace

void RegisterCommunicators(Napi::Env env, Napi::Object exports) {
  exports.Set("commRank", Napi::Function::New(env, CommRank, "commRank"));
  exports.Set("commSize", Napi::Function::New(env, CommSize, "commSize"));
  exports.Set("commDup", Napi::Function::New(env, CommDup, "commDup"));
  exports.Set("commSplit", Napi::Function::New(env, CommSplit, "commSplit"));
  exports.Set("commFree", Napi::Function::New(env, CommFree, "commFree"));
  exports.Set("commShadow", Napi::Function::New(env, CommShadow, "commShadow"));
}

}  // namespace mpiloop
