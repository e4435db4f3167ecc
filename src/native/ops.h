// Reduction ops by code: the built-ins 0 SUM, 1 PROD, 2 MIN, 3 MAX, 4 LAND,
// 5 LOR, 6 LXOR, 7 BAND, 8 BOR, 9 BXOR, one-sided only 10 REPLACE and
// 11 NO_OP, then 16 MAXLOC and 17 MINLOC; a user op made by opCreate
// (user_ops.cc) is -1 - its handle.
// MAXLOC and MINLOC work on the pair datatypes, by pair index: 0 FLOAT_INT,
// 1 DOUBLE_INT, 2 LONG_INT, 3 2INT, 4 SHORT_INT.
#pragma once

#include <cstddef>
#include <memory>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// RangeError for an unknown code, Error for a freed user op.
MPI_Op GetOp(const Napi::CallbackInfo& info, size_t index);

struct PairInfo {
  MPI_Datatype type;
  size_t extent;  // bytes per pair, padding included
  const char* name;
};
constexpr int kPairTypes = 5;
// The optional pair index at `index`: -1 when absent (undefined, null, -1).
int ArgPairType(const Napi::CallbackInfo& info, size_t index);
PairInfo GetPairInfo(int pair);

// The user op behind `op`, for a nonblocking collective to keep it alive
// until completion; null for built-in ops. Defined in user_ops.cc.
std::shared_ptr<void> HoldUserOp(MPI_Op op);
// The MPI_Op of user op `handle` (Error if unknown or freed).
MPI_Op LookupUserOp(Napi::Env env, int handle);
// Env teardown: drops the user ops still alive.
void ReleaseUserOps();

}  // namespace mpiloop
