// JS buffer views -> (pointer, element count, MPI datatype), and the derived
// datatypes needed when a message does not fit MPI's int counts or is made of
// several views.
#pragma once

#include <vector>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

struct BufferView {
  void* data = nullptr;
  size_t bytes = 0;
  MPI_Count count = 0;  // elements of `type`
  MPI_Datatype type = MPI_DATATYPE_NULL;
  const char* type_name = "";  // "Float64Array", for error messages
  napi_value value = nullptr;  // the view itself, to keep it alive
};

// TypeError naming `name` unless value is a TypedArray, Buffer or DataView,
// or a buffer spec (see ParseBufferSpec).
BufferView GetView(Napi::Env env, Napi::Value value, const char* name);
// A TypedArray, Buffer or DataView only (no spec); false otherwise.
bool TryGetPlainView(napi_env env, napi_value value, BufferView* out);
// As GetView, but null/undefined -> false (out untouched).
bool GetViewOrNull(Napi::Env env, Napi::Value value, const char* name,
                   BufferView* out);
// mpi4py's buffer specs: [buf, datatype], [buf, count, datatype] and
// [buf, [count, displacement], datatype] (displacement in extents of the
// datatype). The view then describes `count` items of the (committed)
// datatype starting at buf + displacement * extent; RangeError naming the
// sizes unless every byte they touch lies inside buf. Implemented in
// buffer_spec.cc.
BufferView ParseBufferSpec(Napi::Env env, Napi::Array spec, const char* name);
// True for an array that can only be a buffer spec, not parts: its last
// element (the datatype) is not a view.
bool IsBufferSpec(Napi::Value value);
// An array of views (sendParts).
std::vector<BufferView> GetParts(Napi::Env env, Napi::Value value,
                                 const char* name);

// Owns a derived MPI datatype and frees it on scope exit. Freeing while a
// nonblocking operation still uses the type is allowed by MPI (the operation
// keeps its own reference), so posting code may let this go out of scope.
class DerivedType {
 public:
  DerivedType() = default;
  ~DerivedType() { Reset(); }
  DerivedType(DerivedType&& other) noexcept : type_(other.Release()) {}
  DerivedType& operator=(DerivedType&& other) noexcept {
    if (this != &other) {
      Reset();
      type_ = other.Release();
    }
    return *this;
  }
  DerivedType(const DerivedType&) = delete;
  DerivedType& operator=(const DerivedType&) = delete;

  MPI_Datatype get() const { return type_; }
  // For MPI_Type_* output arguments.
  MPI_Datatype* out() {
    Reset();
    return &type_;
  }
  // For MPI_Type_commit, which updates the handle in place.
  MPI_Datatype* address() { return &type_; }
  MPI_Datatype Release() {
    MPI_Datatype type = type_;
    type_ = MPI_DATATYPE_NULL;
    return type;
  }
  void Reset();

 private:
  MPI_Datatype type_ = MPI_DATATYPE_NULL;
};

// The (buf, count, datatype) triple handed to MPI. For counts > INT_MAX the
// type is a committed derived type and count is 1.
struct WireBuffer {
  void* buf = nullptr;
  int count = 0;
  MPI_Datatype type = MPI_BYTE;
  DerivedType owned;
};

WireBuffer MakeWire(Napi::Env env, void* data, MPI_Count count,
                    MPI_Datatype element);
inline WireBuffer MakeWire(Napi::Env env, const BufferView& view) {
  return MakeWire(env, view.data, view.count, view.type);
}
// One message made of all parts in order, as MPI_BYTE blocks at absolute
// addresses (buf = MPI_BOTTOM); nothing is copied.
WireBuffer MakePartsWire(Napi::Env env, const std::vector<BufferView>& parts);
// Total bytes of the parts.
double PartsBytes(const std::vector<BufferView>& parts);

}  // namespace mpiloop
