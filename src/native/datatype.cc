#include "datatype.h"

#include <climits>
#include <string>

#include "environment.h"
#include "errors.h"

namespace mpiloop {
namespace {

// Large messages are described as q blocks of kChunk elements plus a
// remainder, so every count passed to MPI fits an int (mpi4py does the same).
constexpr MPI_Count kChunkElements = MPI_Count{1} << 30;
// sendParts splits any view larger than this into several hindexed blocks,
// keeping each blocklength well inside int.
constexpr size_t kMaxPartBlock = size_t{1} << 30;

bool DescribeTypedArray(napi_typedarray_type kind, MPI_Datatype* type,
                        size_t* size, const char** name) {
  switch (kind) {
    case napi_int8_array:
      *type = MPI_SIGNED_CHAR, *size = 1, *name = "Int8Array";
      return true;
    case napi_uint8_array:
      *type = MPI_UNSIGNED_CHAR, *size = 1, *name = "Uint8Array";
      return true;
    case napi_uint8_clamped_array:
      *type = MPI_UNSIGNED_CHAR, *size = 1, *name = "Uint8ClampedArray";
      return true;
    case napi_int16_array:
      *type = MPI_SHORT, *size = 2, *name = "Int16Array";
      return true;
    case napi_uint16_array:
      *type = MPI_UNSIGNED_SHORT, *size = 2, *name = "Uint16Array";
      return true;
    case napi_int32_array:
      *type = MPI_INT, *size = 4, *name = "Int32Array";
      return true;
    case napi_uint32_array:
      *type = MPI_UNSIGNED, *size = 4, *name = "Uint32Array";
      return true;
    case napi_float32_array:
      *type = MPI_FLOAT, *size = 4, *name = "Float32Array";
      return true;
    case napi_float64_array:
      *type = MPI_DOUBLE, *size = 8, *name = "Float64Array";
      return true;
    case napi_bigint64_array:
      *type = MPI_INT64_T, *size = 8, *name = "BigInt64Array";
      return true;
    case napi_biguint64_array:
      *type = MPI_UINT64_T, *size = 8, *name = "BigUint64Array";
      return true;
    default:
      return false;
  }
}

bool TryGetView(napi_env env, napi_value value, BufferView* out) {
  bool is = false;
  if (napi_is_typedarray(env, value, &is) == napi_ok && is) {
    napi_typedarray_type kind;
    size_t length = 0;
    void* data = nullptr;
    if (napi_get_typedarray_info(env, value, &kind, &length, &data, nullptr,
                                 nullptr) != napi_ok) {
      return false;
    }
    size_t size = 1;
    if (!DescribeTypedArray(kind, &out->type, &size, &out->type_name)) {
      return false;
    }
    out->data = data;
    out->count = static_cast<MPI_Count>(length);
    out->bytes = length * size;
    out->value = value;
    return true;
  }
  if (napi_is_dataview(env, value, &is) == napi_ok && is) {
    size_t length = 0;
    void* data = nullptr;
    if (napi_get_dataview_info(env, value, &length, &data, nullptr, nullptr) !=
        napi_ok) {
      return false;
    }
    out->data = data;
    out->count = static_cast<MPI_Count>(length);
    out->bytes = length;
    out->type = MPI_BYTE;
    out->type_name = "DataView";
    out->value = value;
    return true;
  }
  return false;
}

}  // namespace

bool TryGetPlainView(napi_env env, napi_value value, BufferView* out) {
  return TryGetView(env, value, out);
}

void DerivedType::Reset() {
  // After MPI_Finalize the type is gone with everything else.
  if (type_ != MPI_DATATYPE_NULL && MpiUsable()) MPI_Type_free(&type_);
  type_ = MPI_DATATYPE_NULL;
}

BufferView GetView(Napi::Env env, Napi::Value value, const char* name) {
  BufferView view;
  if (value.IsArray())
    return ParseBufferSpec(env, value.As<Napi::Array>(), name);
  if (!TryGetView(env, value, &view)) {
    ThrowTypeError(env,
                   std::string(name) +
                       " must be an ArrayBufferView (TypedArray, Buffer or "
                       "DataView)");
  }
  return view;
}

bool GetViewOrNull(Napi::Env env, Napi::Value value, const char* name,
                   BufferView* out) {
  if (value.IsNull() || value.IsUndefined()) return false;
  if (value.IsArray()) {
    *out = ParseBufferSpec(env, value.As<Napi::Array>(), name);
    return true;
  }
  if (!TryGetView(env, value, out)) {
    ThrowTypeError(env,
                   std::string(name) +
                       " must be an ArrayBufferView (TypedArray, Buffer or "
                       "DataView) or null");
  }
  return true;
}

std::vector<BufferView> GetParts(Napi::Env env, Napi::Value value,
                                 const char* name) {
  if (!value.IsArray()) {
    ThrowTypeError(env,
                   std::string(name) + " must be an array of ArrayBufferViews");
  }
  Napi::Array array = value.As<Napi::Array>();
  uint32_t length = array.Length();
  std::vector<BufferView> parts;
  parts.reserve(length);
  for (uint32_t i = 0; i < length; ++i) {
    BufferView view;
    // The part's name is only spelled out for the error (this is a hot path).
    if (!TryGetView(env, array.Get(i), &view)) {
      std::string item = std::string(name) + "[" + std::to_string(i) + "]";
      GetView(env, array.Get(i), item.c_str());
    }
    parts.push_back(view);
  }
  return parts;
}

WireBuffer MakeWire(Napi::Env env, void* data, MPI_Count count,
                    MPI_Datatype element) {
  WireBuffer wire;
  wire.buf = data;
  if (count <= INT_MAX) {
    wire.count = static_cast<int>(count);
    wire.type = element;
    return wire;
  }
  MPI_Count blocks = count / kChunkElements;
  MPI_Count rest = count % kChunkElements;
  DerivedType chunk, body;
  CheckMpi(env,
           MPI_Type_contiguous(static_cast<int>(kChunkElements), element,
                               chunk.out()),
           "MPI_Type_contiguous");
  CheckMpi(
      env,
      MPI_Type_contiguous(static_cast<int>(blocks), chunk.get(), body.out()),
      "MPI_Type_contiguous");
  if (rest == 0) {
    wire.owned = std::move(body);
  } else {
    MPI_Aint lower = 0, extent = 0;
    CheckMpi(env, MPI_Type_get_extent(element, &lower, &extent),
             "MPI_Type_get_extent");
    int lengths[2] = {1, static_cast<int>(rest)};
    MPI_Aint displacements[2] = {
        0, static_cast<MPI_Aint>(blocks * kChunkElements * extent)};
    MPI_Datatype types[2] = {body.get(), element};
    CheckMpi(env,
             MPI_Type_create_struct(2, lengths, displacements, types,
                                    wire.owned.out()),
             "MPI_Type_create_struct");
  }
  CheckMpi(env, MPI_Type_commit(wire.owned.address()), "MPI_Type_commit");
  wire.count = 1;
  wire.type = wire.owned.get();
  return wire;
}

double PartsBytes(const std::vector<BufferView>& parts) {
  double total = 0;
  for (const BufferView& part : parts) total += static_cast<double>(part.bytes);
  return total;
}

WireBuffer MakePartsWire(Napi::Env env, const std::vector<BufferView>& parts) {
  // One part (the common message) is sent as it is, with no bookkeeping.
  if (parts.size() == 1 && parts[0].bytes <= kMaxPartBlock) {
    WireBuffer wire;
    wire.buf = parts[0].bytes == 0 ? nullptr : parts[0].data;
    wire.count = static_cast<int>(parts[0].bytes);
    wire.type = MPI_BYTE;
    return wire;
  }
  std::vector<int> lengths;
  std::vector<MPI_Aint> addresses;
  const BufferView* first = nullptr;
  for (const BufferView& part : parts) {
    if (part.bytes == 0) continue;  // empty parts add nothing to the message
    if (first == nullptr) first = &part;
    MPI_Aint base = 0;
    CheckMpi(env, MPI_Get_address(part.data, &base), "MPI_Get_address");
    for (size_t offset = 0; offset < part.bytes; offset += kMaxPartBlock) {
      size_t block = part.bytes - offset < kMaxPartBlock ? part.bytes - offset
                                                         : kMaxPartBlock;
      lengths.push_back(static_cast<int>(block));
      addresses.push_back(MPI_Aint_add(base, static_cast<MPI_Aint>(offset)));
    }
  }
  WireBuffer wire;
  if (lengths.empty()) {
    wire.buf = nullptr;
    wire.count = 0;
    wire.type = MPI_BYTE;
    return wire;
  }
  // A single block (one non-empty part <= 1 GiB) needs no derived type.
  if (lengths.size() == 1) {
    wire.buf = first->data;
    wire.count = lengths[0];
    wire.type = MPI_BYTE;
    return wire;
  }
  CheckMpi(
      env,
      MPI_Type_create_hindexed(static_cast<int>(lengths.size()), lengths.data(),
                               addresses.data(), MPI_BYTE, wire.owned.out()),
      "MPI_Type_create_hindexed");
  CheckMpi(env, MPI_Type_commit(wire.owned.address()), "MPI_Type_commit");
  wire.buf = MPI_BOTTOM;
  wire.count = 1;
  wire.type = wire.owned.get();
  return wire;
}

}  // namespace mpiloop
