// Built-in reduction ops by index: 0 SUM, 1 PROD, 2 MIN, 3 MAX, 4 LAND,
// 5 LOR, 6 LXOR, 7 BAND, 8 BOR, 9 BXOR; one-sided only: 10 REPLACE, 11 NO_OP.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// RangeError for an index outside the table.
MPI_Op GetOp(const Napi::CallbackInfo& info, size_t index);

}  // namespace mpiloop
