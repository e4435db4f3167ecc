// Dynamic processes (MPI-2): commSpawn and commGetParent, as mpi4py's
// MPIPoolExecutor uses them. Both hand back the merged intracommunicator
// (parent = rank 0, children = 1..n) as an ordinary handle in the comm
// table, so everything above sees a plain communicator.
#include <string>
#include <vector>

#include "args.h"
#include "comm_table.h"
#include "errors.h"
#include "info_args.h"
#include "modules.h"

namespace mpiloop {
namespace {

// MPI_Intercomm_merge, then frees the intercommunicator.
int MergeAndAdd(Napi::Env env, MPI_Comm inter, int high) {
  MPI_Comm merged = MPI_COMM_NULL;
  CheckMpi(env, MPI_Intercomm_merge(inter, high, &merged),
           "MPI_Intercomm_merge");
  MPI_Comm_free(&inter);
  return AddComm(env, merged);
}

// commSpawn(command, args[], maxprocs, info: [key, value][]) -> handle.
// Spawned from COMM_SELF: only the calling process takes part.
Napi::Value CommSpawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetComm(env, Napi::Number::New(env, kCommSelf));  // checks that MPI is usable
  if (!info[0].IsString()) ThrowTypeError(env, "command must be a string");
  if (!info[1].IsArray())
    ThrowTypeError(env, "args must be an array of strings");
  std::string command = info[0].As<Napi::String>().Utf8Value();
  Napi::Array jsArgs = info[1].As<Napi::Array>();
  int maxprocs = ArgInt(info, 2, "maxprocs");
  if (maxprocs < 1) ThrowRangeError(env, "maxprocs must be >= 1");

  std::vector<std::string> args;
  for (uint32_t i = 0; i < jsArgs.Length(); i++) {
    Napi::Value v = jsArgs.Get(i);
    if (!v.IsString()) ThrowTypeError(env, "args must be an array of strings");
    args.push_back(v.As<Napi::String>().Utf8Value());
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  InfoHandle mpiInfo =
      ArgInfo(env, info.Length() > 3 ? info[3] : env.Undefined(), "info");

  std::vector<int> errcodes(maxprocs, MPI_SUCCESS);
  MPI_Comm inter = MPI_COMM_NULL;
  int rc = MPI_Comm_spawn(command.c_str(), argv.data(), maxprocs, mpiInfo.get(),
                          0, MPI_COMM_SELF, &inter, errcodes.data());
  CheckMpi(env, rc, "MPI_Comm_spawn");
  for (int code : errcodes) CheckMpi(env, code, "MPI_Comm_spawn");
  return Napi::Number::New(env, MergeAndAdd(env, inter, 0));
}

// commGetParent() -> the merged handle (this process ranks after the
// parent), or -1 when this process was not spawned.
Napi::Value CommGetParent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetComm(env, Napi::Number::New(env, kCommSelf));
  MPI_Comm parent = MPI_COMM_NULL;
  CheckMpi(env, MPI_Comm_get_parent(&parent), "MPI_Comm_get_parent");
  if (parent == MPI_COMM_NULL) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, MergeAndAdd(env, parent, 1));
}

}  // namespace

void RegisterSpawn(Napi::Env env, Napi::Object exports) {
  exports.Set("commSpawn", Napi::Function::New(env, CommSpawn, "commSpawn"));
  exports.Set("commGetParent",
              Napi::Function::New(env, CommGetParent, "commGetParent"));
}

}  // namespace mpiloop
