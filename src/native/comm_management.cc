// Communicator management beyond dup/split: compare, create (from a group,
// collective over the parent or over the group alone), splitType, names,
// the intercommunicator queries, and idup, which never blocks: it runs as two
// nonblocking stages (the new communicator, then its shadow, see
// comm_table.h) that JavaScript chains, and is adopted into the table when
// both are done.
#include <memory>
#include <string>
#include <unordered_map>

#include "args.h"
#include "blocking.h"
#include "comm_table.h"
#include "errors.h"
#include "group.h"
#include "info.h"
#include "modules.h"
#include "requests.h"

namespace mpiloop {
namespace {

// Pending idups by request id: where MPI writes the new communicators.
struct PendingDup {
  std::unique_ptr<MPI_Comm> comm = std::make_unique<MPI_Comm>(MPI_COMM_NULL);
  std::unique_ptr<MPI_Comm> shadow = std::make_unique<MPI_Comm>(MPI_COMM_NULL);
};
std::unordered_map<int32_t, PendingDup> g_dups;

Napi::Value Adopt(Napi::Env env, MPI_Comm comm) {
  if (comm == MPI_COMM_NULL) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, AddComm(env, comm));
}

Napi::Value CommCompare(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry a = GetComm(env, info[0]);
  CommEntry b = GetComm(env, info[1], "other");
  int result = MPI_UNEQUAL;
  CheckMpi(env, MPI_Comm_compare(a.comm, b.comm, &result), "MPI_Comm_compare");
  return Napi::Number::New(env, result);
}

// -1 (COMM_NULL) on the ranks outside the group.
Napi::Value CommCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry parent = GetComm(env, info[0]);
  MPI_Group group = GetGroup(env, info[1], "group");
  MPI_Comm comm = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Comm_create",
              [&] { return MPI_Comm_create(parent.comm, group, &comm); });
  return Adopt(env, comm);
}

// Collective over the group's members only; -1 on a caller outside it.
Napi::Value CommCreateGroup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry parent = GetComm(env, info[0]);
  if (parent.inter) {
    ThrowError(env, "createGroup: needs an intracommunicator");
  }
  MPI_Group group = GetGroup(env, info[1], "group");
  int tag = ArgInt(info, 2, "tag");
  CheckSendTag(env, tag, "tag");
  int rank = MPI_UNDEFINED;
  MPI_Group_rank(group, &rank);
  if (rank == MPI_UNDEFINED) return Napi::Number::New(env, -1);
  MPI_Comm comm = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Comm_create_group", [&] {
    return MPI_Comm_create_group(parent.comm, group, tag, &comm);
  });
  return Adopt(env, comm);
}

Napi::Value CommSplitType(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry parent = GetComm(env, info[0]);
  int type = ArgInt(info, 1, "splitType");
  int key = ArgInt(info, 2, "key");
  MPI_Info mpi_info = GetInfoOrNull(env, info[3], "info");
  if (type != MPI_COMM_TYPE_SHARED && type != MPI_UNDEFINED) {
    ThrowRangeError(env, "splitType must be COMM_TYPE_SHARED (" +
                             std::to_string(MPI_COMM_TYPE_SHARED) +
                             ") or UNDEFINED, got " + std::to_string(type));
  }
  MPI_Comm comm = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Comm_split_type", [&] {
    return MPI_Comm_split_type(parent.comm, type, key, mpi_info, &comm);
  });
  return Adopt(env, comm);
}

Napi::Value CommGetName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  char name[MPI_MAX_OBJECT_NAME + 1] = {0};
  int length = 0;
  CheckMpi(env, MPI_Comm_get_name(comm.comm, name, &length),
           "MPI_Comm_get_name");
  return Napi::String::New(env, name, static_cast<size_t>(length));
}

Napi::Value CommSetName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  if (!info[1].IsString()) ThrowTypeError(env, "name must be a string");
  std::string name = info[1].As<Napi::String>().Utf8Value();
  if (name.size() >= MPI_MAX_OBJECT_NAME) {
    ThrowRangeError(env, "name must be shorter than " +
                             std::to_string(MPI_MAX_OBJECT_NAME) +
                             " bytes, got " + std::to_string(name.size()));
  }
  CheckMpi(env, MPI_Comm_set_name(comm.comm, name.c_str()),
           "MPI_Comm_set_name");
  return env.Undefined();
}

// The size of the remote group, or -1 for an intracommunicator.
Napi::Value CommRemoteSize(const Napi::CallbackInfo& info) {
  CommEntry comm = GetComm(info.Env(), info[0]);
  return Napi::Number::New(info.Env(), comm.inter ? comm.remote_size : -1);
}

// Stage 1: MPI_Comm_idup of the communicator; returns the request id.
Napi::Value CommIdup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry parent = GetComm(env, info[0]);
  PendingDup dup;
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(env, MPI_Comm_idup(parent.comm, dup.comm.get(), &request),
           "MPI_Comm_idup");
  int32_t id = RegisterCollective(env, parent.comm, request, {});
  g_dups.emplace(id, std::move(dup));
  return Napi::Number::New(env, id);
}

PendingDup TakeDup(Napi::Env env, const Napi::CallbackInfo& info) {
  int32_t id = ArgInt(info, 0, "requestId");
  auto it = g_dups.find(id);
  if (it == g_dups.end()) {
    ThrowError(env, "no pending idup with request id " + std::to_string(id));
  }
  PendingDup dup = std::move(it->second);
  g_dups.erase(it);
  return dup;
}

// Stage 2, once stage 1 completed: the shadow, an idup of the new
// communicator (nothing else can use it yet, so every rank posts this
// collective first on it). Returns the request id of the shadow's idup.
Napi::Value CommIdupShadow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PendingDup dup = TakeDup(env, info);
  MPI_Request request = MPI_REQUEST_NULL;
  int rc = MPI_Comm_idup(*dup.comm, dup.shadow.get(), &request);
  if (rc != MPI_SUCCESS) {
    MPI_Comm_free(dup.comm.get());
    ThrowMpiError(env, rc, "MPI_Comm_idup");
  }
  int32_t id = RegisterCollective(env, *dup.comm, request, {});
  g_dups.emplace(id, std::move(dup));
  return Napi::Number::New(env, id);
}

// Once stage 2 completed: the new communicator's handle.
Napi::Value CommIdupAdopt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PendingDup dup = TakeDup(env, info);
  return Napi::Number::New(env, AddCommWithShadow(env, *dup.comm, *dup.shadow));
}

}  // namespace

void RegisterCommManagement(Napi::Env env, Napi::Object exports) {
  auto set = [&](const char* name, Napi::Function::Callback fn) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  set("commCompare", CommCompare);
  set("commCreate", CommCreate);
  set("commCreateGroup", CommCreateGroup);
  set("commSplitType", CommSplitType);
  set("commGetName", CommGetName);
  set("commSetName", CommSetName);
  set("commRemoteSize", CommRemoteSize);
  set("commIdup", CommIdup);
  set("commIdupShadow", CommIdupShadow);
  set("commIdupAdopt", CommIdupAdopt);
}

}  // namespace mpiloop
