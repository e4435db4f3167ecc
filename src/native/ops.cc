#include "ops.h"

#include <string>

#include "args.h"
#include "errors.h"

namespace mpiloop {
namespace {

// The C struct MPI describes by each pair type: the value, then an int.
template <typename T>
struct Pair {
  T value;
  int index;
};

}  // namespace

MPI_Op GetOp(const Napi::CallbackInfo& info, size_t index) {
  // A function-local table: the MPI_Op handles are link-time objects in
  // Open MPI, so a static initializer could run before they are set up.
  const MPI_Op ops[] = {MPI_SUM,  MPI_PROD, MPI_MIN,     MPI_MAX,
                        MPI_LAND, MPI_LOR,  MPI_LXOR,    MPI_BAND,
                        MPI_BOR,  MPI_BXOR, MPI_REPLACE, MPI_NO_OP};
  int op = ArgInt(info, index, "op");
  if (op >= 0 && op <= 11) return ops[op];
  if (op == 16) return MPI_MAXLOC;
  if (op == 17) return MPI_MINLOC;
  if (op < -1) return LookupUserOp(info.Env(), -1 - op);
  ThrowRangeError(info.Env(),
                  "op must be 0..11 (SUM, PROD, MIN, MAX, LAND, LOR, LXOR, "
                  "BAND, BOR, BXOR, REPLACE, NO_OP), 16 (MAXLOC), "
                  "17 (MINLOC) or a user op, got " +
                      std::to_string(op));
}

int ArgPairType(const Napi::CallbackInfo& info, size_t index) {
  if (info[index].IsUndefined() || info[index].IsNull()) return -1;
  int pair = ArgInt(info, index, "pair");
  if (pair < -1 || pair >= kPairTypes) {
    ThrowRangeError(info.Env(),
                    "pair must be 0..4 (FLOAT_INT, DOUBLE_INT, LONG_INT, "
                    "2INT, SHORT_INT), got " +
                        std::to_string(pair));
  }
  return pair;
}

PairInfo GetPairInfo(int pair) {
  const MPI_Datatype types[kPairTypes] = {
      MPI_FLOAT_INT, MPI_DOUBLE_INT, MPI_LONG_INT, MPI_2INT, MPI_SHORT_INT};
  const char* names[kPairTypes] = {"FLOAT_INT", "DOUBLE_INT", "LONG_INT",
                                   "2INT", "SHORT_INT"};
  const size_t extents[kPairTypes] = {sizeof(Pair<float>), sizeof(Pair<double>),
                                      sizeof(Pair<long>), sizeof(Pair<int>),
                                      sizeof(Pair<short>)};
  return PairInfo{types[pair], extents[pair], names[pair]};
}

}  // namespace mpiloop
