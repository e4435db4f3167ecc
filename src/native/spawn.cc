// Dynamic processes (MPI-2). commSpawn and commGetParent, as mpi4py's
// MPIPoolExecutor uses them, hand back the merged intracommunicator (parent
// = rank 0, children = 1..n); commSpawnInter and commGetParentInter hand
// back the intercommunicator itself (mpi4py's Comm.Spawn, Comm.Get_parent).
// Every result is an ordinary handle in the comm table.
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

// The arguments of MPI_Comm_spawn, read from (command, args[], maxprocs,
// info: [key, value][]) at `first`. Owns the MPI_Info it makes.
struct SpawnArgs {
  std::string command;
  std::vector<std::string> args;
  std::vector<char*> argv;
  int maxprocs = 1;
  InfoHandle info;
};

void ReadSpawnArgs(const Napi::CallbackInfo& info, size_t first,
                   SpawnArgs* out) {
  Napi::Env env = info.Env();
  if (!info[first].IsString()) ThrowTypeError(env, "command must be a string");
  if (!info[first + 1].IsArray())
    ThrowTypeError(env, "args must be an array of strings");
  out->command = info[first].As<Napi::String>().Utf8Value();
  Napi::Array jsArgs = info[first + 1].As<Napi::Array>();
  out->maxprocs = ArgInt(info, first + 2, "maxprocs");
  if (out->maxprocs < 1) ThrowRangeError(env, "maxprocs must be >= 1");
  for (uint32_t i = 0; i < jsArgs.Length(); i++) {
    Napi::Value v = jsArgs.Get(i);
    if (!v.IsString()) ThrowTypeError(env, "args must be an array of strings");
    out->args.push_back(v.As<Napi::String>().Utf8Value());
  }
  for (auto& a : out->args) out->argv.push_back(a.data());
  out->argv.push_back(nullptr);
  out->info = ArgInfo(
      env, info.Length() > first + 3 ? info[first + 3] : env.Undefined(),
      "info");
}

// MPI_Comm_spawn over `comm` with `root`'s arguments: the intercommunicator.
MPI_Comm Spawn(Napi::Env env, const SpawnArgs& a, MPI_Comm comm, int root) {
  std::vector<int> errcodes(static_cast<size_t>(a.maxprocs), MPI_SUCCESS);
  MPI_Comm inter = MPI_COMM_NULL;
  int rc = MPI_Comm_spawn(a.command.c_str(), const_cast<char**>(a.argv.data()),
                          a.maxprocs, a.info.get(), root, comm, &inter,
                          errcodes.data());
  CheckMpi(env, rc, "MPI_Comm_spawn");
  for (int code : errcodes) CheckMpi(env, code, "MPI_Comm_spawn");
  return inter;
}

// commSpawn(command, args[], maxprocs, info: [key, value][]) -> handle.
// Spawned from COMM_SELF: only the calling process takes part.
Napi::Value CommSpawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetComm(env, Napi::Number::New(env, kCommSelf));  // checks that MPI is usable
  SpawnArgs args;
  ReadSpawnArgs(info, 0, &args);
  MPI_Comm inter = Spawn(env, args, MPI_COMM_SELF, 0);
  return Napi::Number::New(env, MergeAndAdd(env, inter, 0));
}

// commSpawnInter(comm, root, command, args[], maxprocs, info) -> the handle
// of the intercommunicator (collective over comm; the arguments after root
// are only read at the root).
Napi::Value CommSpawnInter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  if (comm.inter) ThrowError(env, "Spawn: needs an intracommunicator");
  int root = ArgInt(info, 1, "root");
  CheckRoot(env, root, comm.size);
  SpawnArgs args;
  if (comm.rank == root) ReadSpawnArgs(info, 2, &args);
  MPI_Comm inter = Spawn(env, args, comm.comm, root);
  return Napi::Number::New(env, AddComm(env, inter));
}

// The parent intercommunicator's table handle once adopted (getParent).
int g_parent = -1;

// commGetParent() -> the merged handle (this process ranks after the
// parent), or -1 when this process was not spawned.
Napi::Value CommGetParent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetComm(env, Napi::Number::New(env, kCommSelf));
  if (g_parent >= 0) {
    // Already adopted as an intercommunicator: merge it, keep it.
    MPI_Comm merged = MPI_COMM_NULL;
    CheckMpi(env, MPI_Intercomm_merge(LookupComm(g_parent), 1, &merged),
             "MPI_Intercomm_merge");
    return Napi::Number::New(env, AddComm(env, merged));
  }
  MPI_Comm parent = MPI_COMM_NULL;
  CheckMpi(env, MPI_Comm_get_parent(&parent), "MPI_Comm_get_parent");
  if (parent == MPI_COMM_NULL) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, MergeAndAdd(env, parent, 1));
}

// commGetParentInter() -> the handle of the intercommunicator with the
// parents (the same handle on every call), or -1 when not spawned.
Napi::Value CommGetParentInter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetComm(env, Napi::Number::New(env, kCommSelf));
  if (g_parent >= 0 && LookupComm(g_parent) != MPI_COMM_NULL) {
    return Napi::Number::New(env, g_parent);
  }
  MPI_Comm parent = MPI_COMM_NULL;
  CheckMpi(env, MPI_Comm_get_parent(&parent), "MPI_Comm_get_parent");
  if (parent == MPI_COMM_NULL) return Napi::Number::New(env, -1);
  g_parent = AddComm(env, parent);
  return Napi::Number::New(env, g_parent);
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
  exports.Set("commSpawnInter",
              Napi::Function::New(env, CommSpawnInter, "commSpawnInter"));
  exports.Set("commGetParentInter", Napi::Function::New(env, CommGetParentInter,
                                                        "commGetParentInter"));
  exports.Set("openPortError",
              Napi::Function::New(env, OpenPortError, "openPortError"));
}

}  // namespace mpiloop
