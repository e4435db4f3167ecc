// Intercommunicators: MPI_Intercomm_create (two groups joined through their
// leaders on a peer communicator) and MPI_Intercomm_merge. Point to point
// and collectives on the result take remote ranks (CommEntry::Peers).
#include <string>

#include "args.h"
#include "blocking.h"
#include "comm_table.h"
#include "errors.h"
#include "modules.h"

namespace mpiloop {
namespace {

// intercommCreate(local, localLeader, peer, remoteLeader, tag) -> handle.
// peer and remoteLeader are only read at the local leader.
Napi::Value IntercommCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry local = GetComm(env, info[0]);
  if (local.inter) {
    ThrowError(env, "createIntercomm: needs an intracommunicator");
  }
  int local_leader = ArgInt(info, 1, "localLeader");
  if (local_leader < 0 || local_leader >= local.size) {
    ThrowRangeError(env, "localLeader must be in 0.." +
                             std::to_string(local.size - 1) + ", got " +
                             std::to_string(local_leader));
  }
  int tag = ArgInt(info, 4, "tag");
  CheckSendTag(env, tag, "tag");
  MPI_Comm peer = MPI_COMM_NULL;
  int remote_leader = 0;
  if (local.rank == local_leader) {
    CommEntry peer_entry = GetComm(env, info[2], "peerComm");
    remote_leader = ArgInt(info, 3, "remoteLeader");
    if (remote_leader < 0 || remote_leader >= peer_entry.Peers()) {
      ThrowRangeError(env, "remoteLeader must be a rank of peerComm (0.." +
                               std::to_string(peer_entry.Peers() - 1) +
                               "), got " + std::to_string(remote_leader));
    }
    if (remote_leader == peer_entry.rank && !peer_entry.inter) {
      ThrowRangeError(env, "remoteLeader must not be the local leader itself");
    }
    peer = peer_entry.comm;
  }
  MPI_Comm inter = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Intercomm_create", [&] {
    return MPI_Intercomm_create(local.comm, local_leader, peer, remote_leader,
                                tag, &inter);
  });
  return Napi::Number::New(env, AddComm(env, inter));
}

// intercommMerge(comm, high) -> handle of the intracommunicator (the group
// passing high = false ranks first).
Napi::Value IntercommMerge(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  if (!comm.inter) ThrowError(env, "merge: not an intercommunicator");
  if (!info[1].IsBoolean()) ThrowTypeError(env, "high must be a boolean");
  int high = info[1].As<Napi::Boolean>().Value() ? 1 : 0;
  MPI_Comm merged = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Intercomm_merge",
              [&] { return MPI_Intercomm_merge(comm.comm, high, &merged); });
  return Napi::Number::New(env, AddComm(env, merged));
}

}  // namespace

void RegisterIntercomm(Napi::Env env, Napi::Object exports) {
  exports.Set("intercommCreate",
              Napi::Function::New(env, IntercommCreate, "intercommCreate"));
  exports.Set("intercommMerge",
              Napi::Function::New(env, IntercommMerge, "intercommMerge"));
}

}  // namespace mpiloop
