#include "errors.h"

#include <cmath>
#include <sstream>

#include "environment.h"
#include "modules.h"

namespace mpiloop {
namespace {

napi_ref g_error_constructor = nullptr;

// An extension beyond addon.ts: setErrorConstructor(MPIError | null).
Napi::Value SetErrorConstructor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Value value = info[0];
  if (!value.IsNull() && !value.IsUndefined() && !value.IsFunction()) {
    ThrowTypeError(env, "ctor must be a class (function) or null");
  }
  ReleaseErrorConstructor(env);
  if (value.IsFunction())
    napi_create_reference(env, value, 1, &g_error_constructor);
  return env.Undefined();
}

// new Class(message, errorClass, errorCode), or an empty object if there is
// no class or it throws (then a plain Error is used).
Napi::Object ConstructRegistered(Napi::Env env, const std::string& message,
                                 int error_class, int code) {
  if (g_error_constructor == nullptr) return Napi::Object();
  napi_value ctor = nullptr;
  if (napi_get_reference_value(env, g_error_constructor, &ctor) != napi_ok ||
      ctor == nullptr) {
    return Napi::Object();
  }
  napi_value args[3] = {Napi::String::New(env, message),
                        Napi::Number::New(env, error_class),
                        Napi::Number::New(env, code)};
  napi_value result = nullptr;
  if (napi_new_instance(env, ctor, 3, args, &result) != napi_ok) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    return Napi::Object();
  }
  napi_valuetype type;
  napi_typeof(env, result, &type);
  return type == napi_object ? Napi::Object(env, result) : Napi::Object();
}

}  // namespace

Napi::Error MakeMpiError(Napi::Env env, int code, const char* function) {
  std::string message;
  int error_class = code;
  // Open MPI tears its error-string table down in MPI_Finalize, so only ask
  // MPI while it is usable.
  if (MpiUsable()) {
    char text[MPI_MAX_ERROR_STRING + 1] = {0};
    int length = 0;
    if (MPI_Error_string(code, text, &length) == MPI_SUCCESS) {
      message.assign(text, static_cast<size_t>(length));
    }
    if (MPI_Error_class(code, &error_class) != MPI_SUCCESS) error_class = code;
  }
  if (message.empty()) message = "MPI error code " + std::to_string(code);
  Napi::Object object = ConstructRegistered(env, message, error_class, code);
  Napi::Error error;
  if (!object.IsEmpty()) {
    error = Napi::Error(env, object);
  } else {
    error = Napi::Error::New(env, message);
    object = error.Value();
    // Set before anything reads .stack, so the stack header says MPIError.
    object.Set("name", Napi::String::New(env, "MPIError"));
  }
  object.Set("mpiErrorCode", Napi::Number::New(env, code));
  object.Set("mpiErrorClass", Napi::Number::New(env, error_class));
  object.Set("mpiFunction", Napi::String::New(env, function));
  return error;
}

void ThrowMpiError(Napi::Env env, int code, const char* function) {
  throw MakeMpiError(env, code, function);
}

void ThrowError(Napi::Env env, const std::string& message) {
  throw Napi::Error::New(env, message);
}

void ThrowTypeError(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}

void ThrowRangeError(Napi::Env env, const std::string& message) {
  throw Napi::RangeError::New(env, message);
}

void ReleaseErrorConstructor(napi_env env) {
  if (g_error_constructor != nullptr)
    napi_delete_reference(env, g_error_constructor);
  g_error_constructor = nullptr;
}

void RegisterErrors(Napi::Env env, Napi::Object exports) {
  exports.Set(
      "setErrorConstructor",
      Napi::Function::New(env, SetErrorConstructor, "setErrorConstructor"));
}

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

}  // namespace mpiloop
