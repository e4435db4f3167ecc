// Communicators are small integer handles into this table:
// 0 = COMM_WORLD, 1 = COMM_SELF, then dup/split results. Handles are never
// reused, so a stale handle is an error rather than a different communicator.
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
};

// After MPI_Init: registers WORLD and SELF.
void InitCommTable();
// At finalize: forgets every handle (communicators are not freed; MPI_Finalize
// releases them).
void ClearCommTable();
// Validates that MPI is usable and `value` names a live communicator.
CommEntry GetComm(Napi::Env env, Napi::Value value, const char* name = "comm");
// MPI_COMM_NULL if the handle is unknown.
MPI_Comm LookupComm(int handle);
// Takes ownership of a new communicator: sets MPI_ERRORS_RETURN, caches
// rank/size and returns its handle.
int AddComm(Napi::Env env, MPI_Comm comm);
// Frees a dup/split communicator (Error for WORLD/SELF or unknown handles).
void FreeComm(Napi::Env env, int handle);

}  // namespace mpiloop
