// The `constants` object. Values come from the mpi.h the addon was compiled
// against, except TAG_UB, which is an attribute of COMM_WORLD and is only
// known after initialize(): it is a getter returning 32767 (the minimum MPI
// guarantees) before that and the real value afterwards.
#include "environment.h"
#include "modules.h"

namespace mpiloop {
namespace {

Napi::Value GetTagUb(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), TagUpperBound());
}

const char* Implementation() {
#if defined(OMPI_MAJOR_VERSION)
  return "Open MPI";
#elif defined(MPICH_VERSION)
  return "MPICH";
#else
  return "MPI";
#endif
}

}  // namespace

void RegisterConstants(Napi::Env env, Napi::Object exports) {
  Napi::Object constants = Napi::Object::New(env);
  auto set = [&](const char* name, int value) {
    constants.Set(name, Napi::Number::New(env, value));
  };
  set("ANY_SOURCE", MPI_ANY_SOURCE);
  set("ANY_TAG", MPI_ANY_TAG);
  set("PROC_NULL", MPI_PROC_NULL);
  set("UNDEFINED", MPI_UNDEFINED);
  constants.DefineProperty(Napi::PropertyDescriptor::Accessor(
      env, constants, "TAG_UB", GetTagUb, napi_enumerable));
  set("THREAD_SINGLE", MPI_THREAD_SINGLE);
  set("THREAD_FUNNELED", MPI_THREAD_FUNNELED);
  set("THREAD_SERIALIZED", MPI_THREAD_SERIALIZED);
  set("THREAD_MULTIPLE", MPI_THREAD_MULTIPLE);
  set("ERR_TRUNCATE", MPI_ERR_TRUNCATE);
  set("ERR_RANK", MPI_ERR_RANK);
  set("ERR_TAG", MPI_ERR_TAG);
  set("ROOT", MPI_ROOT);
  set("IDENT", MPI_IDENT);
  set("CONGRUENT", MPI_CONGRUENT);
  set("SIMILAR", MPI_SIMILAR);
  set("UNEQUAL", MPI_UNEQUAL);
  set("CART", MPI_CART);
  set("GRAPH", MPI_GRAPH);
  set("DIST_GRAPH", MPI_DIST_GRAPH);
  set("COMM_TYPE_SHARED", MPI_COMM_TYPE_SHARED);
  constants.Set("IMPLEMENTATION", Napi::String::New(env, Implementation()));
  constants.Freeze();
  exports.Set("constants", constants);
}

}  // namespace mpiloop
