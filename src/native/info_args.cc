#include "info_args.h"

#include <string>

#include "errors.h"

namespace mpiloop {

InfoHandle ArgInfo(Napi::Env env, Napi::Value value, const char* name) {
  InfoHandle handle;
  if (value.IsNull() || value.IsUndefined()) return handle;
  const std::string shape =
      std::string(name) + " must be an array of [key, value] string pairs";
  if (!value.IsArray()) ThrowTypeError(env, shape);
  Napi::Array pairs = value.As<Napi::Array>();
  if (pairs.Length() == 0) return handle;
  CheckMpi(env, MPI_Info_create(handle.out()), "MPI_Info_create");
  for (uint32_t i = 0; i < pairs.Length(); i++) {
    Napi::Value pair = pairs.Get(i);
    if (!pair.IsArray() || pair.As<Napi::Array>().Length() != 2) {
      ThrowTypeError(env, shape);
    }
    Napi::Value key = pair.As<Napi::Array>().Get(0u);
    Napi::Value text = pair.As<Napi::Array>().Get(1u);
    if (!key.IsString() || !text.IsString()) ThrowTypeError(env, shape);
    CheckMpi(
        env,
        MPI_Info_set(handle.get(), key.As<Napi::String>().Utf8Value().c_str(),
                     text.As<Napi::String>().Utf8Value().c_str()),
        "MPI_Info_set");
  }
  return handle;
}

}  // namespace mpiloop
