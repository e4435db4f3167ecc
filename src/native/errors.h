// JS exceptions for MPI failures and bad arguments. MPI runs with
// MPI_ERRORS_RETURN everywhere, so every return code goes through CheckMpi
// and an MPI error becomes a thrown JS Error instead of killing the process.
#pragma once

#include <string>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// Error named 'MPIError' whose message is MPI_Error_string(code), with
// properties mpiErrorCode, mpiErrorClass and mpiFunction. If JS registered a
// class with setErrorConstructor, it is `new Class(message, errorClass,
// errorCode)` (so instanceof works), with the same properties added.
Napi::Error MakeMpiError(Napi::Env env, int code, const char* function);
[[noreturn]] void ThrowMpiError(Napi::Env env, int code, const char* function);

inline void CheckMpi(Napi::Env env, int rc, const char* function) {
  if (rc != MPI_SUCCESS) ThrowMpiError(env, rc, function);
}

[[noreturn]] void ThrowError(Napi::Env env, const std::string& message);
[[noreturn]] void ThrowTypeError(Napi::Env env, const std::string& message);
[[noreturn]] void ThrowRangeError(Napi::Env env, const std::string& message);

// Drops the registered error class (env cleanup).
void ReleaseErrorConstructor(napi_env env);

// "1.5" / "3" / "NaN" for error messages.
std::string FormatNumber(double value);

}  // namespace mpiloop
