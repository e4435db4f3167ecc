// Communicators are small integer handles into this table:
// 0 = COMM_WORLD, 1 = COMM_SELF, then dup/split results. Handles are never
// reused, so a stale handle is an error rather than a different communicator.
//
// Every communicator has a shadow: an MPI_Comm_dup of it, made at the same
// (collective) moment and freed with it, with its own table handle. The
// object layer sends the bodies of large values there, so they can never be
// matched by a user's receive (ANY_TAG included) on the communicator itself.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

constexpr int kCommWorld = 0;
constexpr int kCommSelf = 1;

struct CommEntry {
  MPI_Comm comm = MPI_COMM_NULL;
  int handle = -1;
  int rank = 0;  // cached: rank checks run on every call
  int size = 0;
  int shadow = -1;      // handle of the shadow; -1 for a shadow itself
  int owner = -1;       // for a shadow: the handle it shadows
  bool inter = false;   // an intercommunicator: peers are the remote group
  int remote_size = 0;  // size of the remote group (intercommunicators)
  // How many ranks a point-to-point peer or a collective's block index
  // ranges over: the remote group's size on an intercommunicator.
  int Peers() const { return inter ? remote_size : size; }
};

// After MPI_Init: registers WORLD and SELF and creates their shadows
// (collective over COMM_WORLD).
void InitCommTable(Napi::Env env);
// At finalize: forgets every handle (communicators are not freed; MPI_Finalize
// releases them).
void ClearCommTable();
// Validates that MPI is usable and `value` names a live communicator.
CommEntry GetComm(Napi::Env env, Napi::Value value, const char* name = "comm");
// MPI_COMM_NULL if the handle is unknown.
MPI_Comm LookupComm(int handle);
// Takes ownership of a new communicator: sets MPI_ERRORS_RETURN, caches
// rank/size, creates its shadow (collective over it) and returns its handle.
int AddComm(Napi::Env env, MPI_Comm comm);
// As AddComm, with a shadow the caller made already (a nonblocking dup).
int AddCommWithShadow(Napi::Env env, MPI_Comm comm, MPI_Comm shadow);
// Frees a dup/split communicator and its shadow (Error for WORLD/SELF,
// shadows and unknown handles).
void FreeComm(Napi::Env env, int handle);

}  // namespace mpiloop
