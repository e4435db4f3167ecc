// MPI_Info objects as small integer handles; -1 (and null/undefined where an
// MPI call takes an info) is MPI_INFO_NULL.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

constexpr int kInfoNull = -1;

// null, undefined and INFO_NULL give MPI_INFO_NULL; otherwise a live handle.
MPI_Info GetInfoOrNull(Napi::Env env, Napi::Value value, const char* name);

}  // namespace mpiloop
