#include "ops.h"

#include <string>

#include "args.h"
#include "errors.h"

namespace mpiloop {

MPI_Op GetOp(const Napi::CallbackInfo& info, size_t index) {
  // A function-local table: the MPI_Op handles are link-time objects in
  // Open MPI, so a static initializer could run before they are set up.
  const MPI_Op ops[] = {MPI_SUM,  MPI_PROD, MPI_MIN,     MPI_MAX,
                        MPI_LAND, MPI_LOR,  MPI_LXOR,    MPI_BAND,
                        MPI_BOR,  MPI_BXOR, MPI_REPLACE, MPI_NO_OP};
  int op = ArgInt(info, index, "op");
  if (op < 0 || op > 11) {
    ThrowRangeError(info.Env(),
                    "op must be in 0..11 (SUM, PROD, MIN, MAX, LAND, LOR, "
                    "LXOR, BAND, BOR, BXOR, REPLACE, NO_OP), got " +
                        std::to_string(op));
  }
  return ops[op];
}

}  // namespace mpiloop
