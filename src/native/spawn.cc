// Dynamic processes (MPI-2): commSpawn and commGetParent, as mpi4py's
// MPIPoolExecutor uses them. Both hand back the merged intracommunicator
// (parent = rank 0, children = 1..n) as an ordinary handle in the comm
// table, so everything above sees a plain communicator.
#include <string>
#include <vector>

#include "args.h"
#include "comm_table.h"
#include "errors.h"
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

  MPI_Info mpiInfo = MPI_INFO_NULL;
  if (info.Length() > 3 && info[3].IsArray()) {
    Napi::Array pairs = info[3].As<Napi::Array>();
    if (pairs.Length() > 0) {
      CheckMpi(env, MPI_Info_create(&mpiInfo), "MPI_Info_create");
      for (uint32_t i = 0; i < pairs.Length(); i++) {
        Napi::Value p = pairs.Get(i);
        if (!p.IsArray() || p.As<Napi::Array>().Length() != 2) {
          MPI_Info_free(&mpiInfo);
          ThrowTypeError(env,
                         "info must be an array of [key, value] string pairs");
        }
        std::string key = p.As<Napi::Array>().Get(0u).ToString().Utf8Value();
        std::string value = p.As<Napi::Array>().Get(1u).ToString().Utf8Value();
        MPI_Info_set(mpiInfo, key.c_str(), value.c_str());
      }
    }
  }

  std::vector<int> errcodes(maxprocs, MPI_SUCCESS);
  MPI_Comm inter = MPI_COMM_NULL;
  int rc = MPI_Comm_spawn(command.c_str(), argv.data(), maxprocs, mpiInfo, 0,
                          MPI_COMM_SELF, &inter, errcodes.data());
  if (mpiInfo != MPI_INFO_NULL) MPI_Info_free(&mpiInfo);
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

// openPortError() -> null when this MPI can open a port (then closes it),
// else MPI's error text. MPI_Comm_spawn connects the children back through
// such a port; some MPIs lack it (MPICH 4.0's ch4:ucx device: "not supported
// with ucx netmod") and say only "Error in spawn call" from MPI_Comm_spawn.
Napi::Value OpenPortError(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetComm(env, Napi::Number::New(env, kCommSelf));  // checks that MPI is usable
  char port[MPI_MAX_PORT_NAME + 1] = {0};
  int rc = MPI_Open_port(MPI_INFO_NULL, port);
  if (rc == MPI_SUCCESS) {
    MPI_Close_port(port);
    return env.Null();
  }
  return Napi::String::New(env,
                           MakeMpiError(env, rc, "MPI_Open_port").Message());
}

}  // namespace

void RegisterSpawn(Napi::Env env, Napi::Object exports) {
  exports.Set("commSpawn", Napi::Function::New(env, CommSpawn, "commSpawn"));
  exports.Set("commGetParent",
              Napi::Function::New(env, CommGetParent, "commGetParent"));
  exports.Set("openPortError",
              Napi::Function::New(env, OpenPortError, "openPortError"));
}

}  // namespace mpiloop
