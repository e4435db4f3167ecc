// Argument validation done before any MPI call, so bad input becomes a
// TypeError/RangeError naming the argument instead of an MPI error (or worse,
// a hang on a nonexistent rank).
#pragma once

#include <cstddef>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// A JS number that is an int32 integer (TypeError / RangeError otherwise).
// The number in `value`, or false when it is no number: one N-API call where
// IsNumber() + DoubleValue() make two (the hot path reads several per call).
bool NumberIn(Napi::Value value, double* out);

int ArgInt(const Napi::CallbackInfo& info, size_t index, const char* name);
// A finite number >= 0.
double ArgNonNegative(const Napi::CallbackInfo& info, size_t index,
                      const char* name);

// The index a handle names in a table of `size` entries (handles are plain
// indices, never reused); false unless value is an integer in 0..size-1.
bool HandleIndex(Napi::Value value, size_t size, size_t* index);

// dest: 0..size-1 or PROC_NULL.
void CheckDest(Napi::Env env, int dest, int size, const char* name);
// source: 0..size-1, ANY_SOURCE or PROC_NULL.
void CheckSource(Napi::Env env, int source, int size, const char* name);
// root: 0..size-1.
void CheckRoot(Napi::Env env, int root, int size);
// send tag: 0..TAG_UB.
void CheckSendTag(Napi::Env env, int tag, const char* name);
// receive tag: 0..TAG_UB or ANY_TAG.
void CheckRecvTag(Napi::Env env, int tag, const char* name);

// An Int32Array of per-rank counts/displacements.
struct IntArray {
  const int* data = nullptr;
  size_t length = 0;
  bool present = false;
};
// allow_null: null/undefined gives an IntArray with present == false.
IntArray ArgIntArray(Napi::Env env, Napi::Value value, const char* name,
                     bool allow_null);

}  // namespace mpiloop
