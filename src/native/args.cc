#include "args.h"

#include <climits>
#include <cmath>
#include <string>

#include "environment.h"
#include "errors.h"

namespace mpiloop {
namespace {

std::string RankRange(int size) {
  return size > 0 ? "0.." + std::to_string(size - 1) : "(no ranks)";
}

}  // namespace

bool NumberIn(Napi::Value value, double* out) {
  return napi_get_value_double(value.Env(), value, out) == napi_ok;
}

bool HandleIndex(Napi::Value value, size_t size, size_t* index) {
  double number = 0;
  if (!NumberIn(value, &number)) return false;
  if (!(number == std::trunc(number)) || number < 0 ||
      number >= static_cast<double>(size)) {
    return false;
  }
  *index = static_cast<size_t>(number);
  return true;
}

int ArgInt(const Napi::CallbackInfo& info, size_t index, const char* name) {
  double number = 0;
  if (!NumberIn(info[index], &number)) {
    ThrowTypeError(info.Env(), std::string(name) + " must be a number");
  }
  if (!(number == std::trunc(number)) || number < INT_MIN || number > INT_MAX) {
    ThrowRangeError(info.Env(), std::string(name) +
                                    " must be a 32-bit integer, got " +
                                    FormatNumber(number));
  }
  return static_cast<int>(number);
}

double ArgNonNegative(const Napi::CallbackInfo& info, size_t index,
                      const char* name) {
  Napi::Value value = info[index];
  if (!value.IsNumber()) {
    ThrowTypeError(info.Env(), std::string(name) + " must be a number");
  }
  double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || number < 0) {
    ThrowRangeError(info.Env(), std::string(name) +
                                    " must be a finite number >= 0, got " +
                                    FormatNumber(number));
  }
  return number;
}

void CheckDest(Napi::Env env, int dest, int size, const char* name) {
  if ((dest >= 0 && dest < size) || dest == MPI_PROC_NULL) return;
  ThrowRangeError(env, std::string(name) + " must be in " + RankRange(size) +
                           " or PROC_NULL (" + std::to_string(MPI_PROC_NULL) +
                           "), got " + std::to_string(dest));
}

void CheckSource(Napi::Env env, int source, int size, const char* name) {
  if ((source >= 0 && source < size) || source == MPI_ANY_SOURCE ||
      source == MPI_PROC_NULL) {
    return;
  }
  ThrowRangeError(env, std::string(name) + " must be in " + RankRange(size) +
                           ", ANY_SOURCE (" + std::to_string(MPI_ANY_SOURCE) +
                           ") or PROC_NULL (" + std::to_string(MPI_PROC_NULL) +
                           "), got " + std::to_string(source));
}

void CheckRoot(Napi::Env env, int root, int size) {
  if (root >= 0 && root < size) return;
  ThrowRangeError(env, "root must be in " + RankRange(size) + ", got " +
                           std::to_string(root));
}

void CheckSendTag(Napi::Env env, int tag, const char* name) {
  if (tag >= 0 && tag <= TagUpperBound()) return;
  ThrowRangeError(env, std::string(name) + " must be in 0.." +
                           std::to_string(TagUpperBound()) + " (TAG_UB), got " +
                           std::to_string(tag));
}

void CheckRecvTag(Napi::Env env, int tag, const char* name) {
  if ((tag >= 0 && tag <= TagUpperBound()) || tag == MPI_ANY_TAG) return;
  ThrowRangeError(
      env, std::string(name) + " must be in 0.." +
               std::to_string(TagUpperBound()) + " (TAG_UB) or ANY_TAG (" +
               std::to_string(MPI_ANY_TAG) + "), got " + std::to_string(tag));
}

IntArray ArgIntArray(Napi::Env env, Napi::Value value, const char* name,
                     bool allow_null) {
  IntArray result;
  if (allow_null && (value.IsNull() || value.IsUndefined())) return result;
  if (!value.IsTypedArray() ||
      value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    ThrowTypeError(env, std::string(name) + " must be an Int32Array" +
                            (allow_null ? " or null" : ""));
  }
  Napi::Int32Array array = value.As<Napi::Int32Array>();
  result.data = array.Data();
  result.length = array.ElementLength();
  result.present = true;
  return result;
}

}  // namespace mpiloop
