#include "status.h"

#include "errors.h"
#include "modules.h"

namespace mpiloop {
namespace {

napi_ref g_status = nullptr;
// The record's memory: looked up once, since the hot receive paths write it
// every time (the reference keeps the array, and so this memory, alive).
double* g_status_data = nullptr;

Napi::Value SetStatusBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Value value = info[0];
  if (!value.IsTypedArray() ||
      value.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    ThrowTypeError(env, "status must be a Float64Array");
  }
  if (value.As<Napi::Float64Array>().ElementLength() < 5) {
    ThrowRangeError(env, "status must have at least 5 elements");
  }
  ReleaseStatusBuffer(env);
  // napi_get_typedarray_info moves a small on-heap typed array off the V8
  // heap, so the data pointer looked up here stays valid.
  napi_create_reference(env, value, 1, &g_status);
  void* data = nullptr;
  napi_typedarray_type kind;
  size_t length = 0;
  if (napi_get_typedarray_info(env, value, &kind, &length, &data, nullptr,
                               nullptr) == napi_ok) {
    g_status_data = static_cast<double*>(data);
  }
  return env.Undefined();
}

}  // namespace

double StatusBytes(const MPI_Status& status) {
  MPI_Count count = 0;
  if (MPI_Get_elements_x(&status, MPI_BYTE, &count) != MPI_SUCCESS ||
      count == MPI_UNDEFINED) {
    return 0;
  }
  return static_cast<double>(count);
}

bool StatusCancelled(const MPI_Status& status) {
  int flag = 0;
  MPI_Test_cancelled(&status, &flag);
  return flag != 0;
}

void WriteStatus(napi_env env, const MPI_Status& status, int error) {
  WriteStatusValues(env, status.MPI_SOURCE, status.MPI_TAG, StatusBytes(status),
                    error, StatusCancelled(status));
}

void WriteStatusValues(napi_env, double source, double tag, double count_bytes,
                       double error, bool cancelled) {
  double* out = g_status_data;
  if (out == nullptr) return;
  out[0] = source;
  out[1] = tag;
  out[2] = count_bytes;
  out[3] = error;
  out[4] = cancelled ? 1 : 0;
}

void ReleaseStatusBuffer(napi_env env) {
  if (g_status != nullptr) napi_delete_reference(env, g_status);
  g_status = nullptr;
  g_status_data = nullptr;
}

void RegisterStatus(Napi::Env env, Napi::Object exports) {
  exports.Set("setStatusBuffer",
              Napi::Function::New(env, SetStatusBuffer, "setStatusBuffer"));
}

}  // namespace mpiloop
