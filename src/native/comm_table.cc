#include "comm_table.h"

#include <cmath>
#include <string>
#include <vector>

#include "args.h"
#include "environment.h"
#include "errors.h"

namespace mpiloop {
namespace {

std::vector<CommEntry> g_comms;

CommEntry Describe(MPI_Comm comm, int handle) {
  CommEntry entry;
  entry.comm = comm;
  entry.handle = handle;
  MPI_Comm_rank(comm, &entry.rank);
  MPI_Comm_size(comm, &entry.size);
  int inter = 0;
  MPI_Comm_test_inter(comm, &inter);
  entry.inter = inter != 0;
  if (entry.inter) MPI_Comm_remote_size(comm, &entry.remote_size);
  return entry;
}

int Append(MPI_Comm comm) {
  int handle = static_cast<int>(g_comms.size());
  g_comms.push_back(Describe(comm, handle));
  return handle;
}

// Dups the communicator at `handle` into its shadow (errors return, like
// every communicator in the table).
void AddShadow(Napi::Env env, int handle) {
  MPI_Comm shadow = MPI_COMM_NULL;
  CheckMpi(env,
           MPI_Comm_dup(g_comms[static_cast<size_t>(handle)].comm, &shadow),
           "MPI_Comm_dup");
  int rc = MPI_Comm_set_errhandler(shadow, MPI_ERRORS_RETURN);
  if (rc != MPI_SUCCESS) {
    MPI_Comm_free(&shadow);
    ThrowMpiError(env, rc, "MPI_Comm_set_errhandler");
  }
  int shadow_handle = Append(shadow);
  g_comms[static_cast<size_t>(shadow_handle)].owner = handle;
  g_comms[static_cast<size_t>(handle)].shadow = shadow_handle;
}

}  // namespace

void InitCommTable(Napi::Env env) {
  g_comms.clear();
  Append(MPI_COMM_WORLD);
  Append(MPI_COMM_SELF);
  AddShadow(env, kCommWorld);
  AddShadow(env, kCommSelf);
}

void ClearCommTable() { g_comms.clear(); }

MPI_Comm LookupComm(int handle) {
  if (handle < 0 || static_cast<size_t>(handle) >= g_comms.size()) {
    return MPI_COMM_NULL;
  }
  return g_comms[static_cast<size_t>(handle)].comm;
}

CommEntry GetComm(Napi::Env env, Napi::Value value, const char* name) {
  RequireMpi(env);
  double number = 0;
  if (!NumberIn(value, &number)) {
    ThrowTypeError(
        env, std::string(name) + " must be a communicator handle (number)");
  }
  int handle = static_cast<int>(number);
  if (number != std::trunc(number) || number < 0 ||
      number >= static_cast<double>(g_comms.size()) ||
      g_comms[static_cast<size_t>(handle)].comm == MPI_COMM_NULL) {
    ThrowError(env, "unknown communicator handle " + FormatNumber(number) +
                        " (freed, or never created)");
  }
  return g_comms[static_cast<size_t>(handle)];
}

int AddComm(Napi::Env env, MPI_Comm comm) {
  int rc = MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
  if (rc != MPI_SUCCESS) {
    MPI_Comm_free(&comm);
    ThrowMpiError(env, rc, "MPI_Comm_set_errhandler");
  }
  int handle = Append(comm);
  AddShadow(env, handle);
  return handle;
}

int AddCommWithShadow(Napi::Env env, MPI_Comm comm, MPI_Comm shadow) {
  int rc = MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
  if (rc == MPI_SUCCESS)
    rc = MPI_Comm_set_errhandler(shadow, MPI_ERRORS_RETURN);
  if (rc != MPI_SUCCESS) {
    MPI_Comm_free(&comm);
    MPI_Comm_free(&shadow);
    ThrowMpiError(env, rc, "MPI_Comm_set_errhandler");
  }
  int handle = Append(comm);
  int shadow_handle = Append(shadow);
  g_comms[static_cast<size_t>(shadow_handle)].owner = handle;
  g_comms[static_cast<size_t>(handle)].shadow = shadow_handle;
  return handle;
}

void FreeComm(Napi::Env env, int handle) {
  if (handle == kCommWorld || handle == kCommSelf) {
    ThrowError(env, "cannot free COMM_WORLD or COMM_SELF");
  }
  MPI_Comm comm = LookupComm(handle);
  if (comm == MPI_COMM_NULL) {
    ThrowError(env, "unknown communicator handle " + std::to_string(handle) +
                        " (freed, or never created)");
  }
  CommEntry& entry = g_comms[static_cast<size_t>(handle)];
  if (entry.owner >= 0) {
    ThrowError(env, "communicator handle " + std::to_string(handle) +
                        " is the internal shadow of handle " +
                        std::to_string(entry.owner) +
                        "; free that one instead");
  }
  CheckMpi(env, MPI_Comm_free(&comm), "MPI_Comm_free");
  entry.comm = MPI_COMM_NULL;
  if (entry.shadow >= 0) {
    CommEntry& shadow = g_comms[static_cast<size_t>(entry.shadow)];
    MPI_Comm_free(&shadow.comm);  // sets it to MPI_COMM_NULL
    shadow.comm = MPI_COMM_NULL;
  }
}

}  // namespace mpiloop
