// Groups are small integer handles into a table, like communicators:
// 0 = GROUP_EMPTY, then every group made by commGroup, incl, union, ...
// Handles are never reused, so a freed handle is an error.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

constexpr int kGroupEmpty = 0;

// Validates that `value` names a live group.
MPI_Group GetGroup(Napi::Env env, Napi::Value value, const char* name);
// Takes ownership of a new group and returns its handle.
int AddGroup(MPI_Group group);

}  // namespace mpiloop
