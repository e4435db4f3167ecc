#include "errors.h"

#include <cmath>
#include <sstream>

#include "environment.h"

namespace mpiloop {

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
  Napi::Error error = Napi::Error::New(env, message);
  Napi::Object object = error.Value();
  // Set before anything reads .stack, so the stack header says MPIError.
  object.Set("name", Napi::String::New(env, "MPIError"));
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

void ThrowWatchError(Napi::Env env, int source, int tag) {
  Napi::Error error =
      Napi::Error::New(env, "interrupted: a remote rank reported a failure");
  Napi::Object object = error.Value();
  object.Set("code", Napi::String::New(env, "EWATCH"));
  object.Set("source", Napi::Number::New(env, source));
  object.Set("tag", Napi::Number::New(env, tag));
  throw error;
}

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

}  // namespace mpiloop
