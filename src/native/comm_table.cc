#include "comm_table.h"

#include <cmath>
#include <string>
#include <vector>

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
  return entry;
}

}  // namespace

void InitCommTable() {
  g_comms.clear();
  g_comms.push_back(Describe(MPI_COMM_WORLD, kCommWorld));
  g_comms.push_back(Describe(MPI_COMM_SELF, kCommSelf));
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
  if (!value.IsNumber()) {
    ThrowTypeError(env, std::string(name) + " must be a communicator handle (number)");
  }
  double number = value.As<Napi::Number>().DoubleValue();
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
  int handle = static_cast<int>(g_comms.size());
  g_comms.push_back(Describe(comm, handle));
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
  CheckMpi(env, MPI_Comm_free(&comm), "MPI_Comm_free");
  g_comms[static_cast<size_t>(handle)].comm = MPI_COMM_NULL;
}

}  // namespace mpiloop
