#include "ops.h"

#include <string>

#include "args.h"
#include "errors.h"

namespace mpiloop {

MPI_Op GetOp(const Napi::CallbackInfo& info, size_t index) {
  // A function-local table: the MPI_Op handles are link-time objects in
  // Open MPI, so a static initializer could run before they are set up.
  const MPI_Op ops[] = {MPI_SUM, MPI_PROD, MPI_MIN,  MPI_MAX, MPI_LAND,
                        MPI_LOR, MPI_LXOR, MPI_BAND, MPI_BOR, MPI_BXOR};
  int op = ArgInt(info, index, "op");
  if (op < 0 || op > 9) {
    ThrowRangeError(info.Env(),
                    "op must be in 0..9 (SUM, PROD, MIN, MAX, LAND, LOR, LXOR, "
                    "BAND, BOR, BXOR), got " +
                        std::to_string(op));
  }
  return ops[op];
}

}  // namespace mpiloop
