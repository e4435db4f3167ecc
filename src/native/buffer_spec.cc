// mpi4py's buffer specs, parsed where every Capitalized method parses its
// buffers (GetView), so point-to-point, collectives, one-sided and I/O calls
// all accept them. The bounds check uses the datatype's true extent: the
// bytes MPI actually touches, not the padding a resized type adds.
#include <cmath>
#include <string>

#include "datatype.h"
#include "datatype_table.h"
#include "errors.h"

namespace mpiloop {
namespace {

std::string Str(MPI_Count value) {
  return std::to_string(static_cast<long long>(value));
}

MPI_Count SpecInteger(Napi::Env env, Napi::Value value,
                      const std::string& what) {
  double number =
      value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : std::nan("");
  if (!(number == std::trunc(number)) ||
      std::fabs(number) > 9007199254740991.0) {
    ThrowTypeError(env, what + " must be an integer, got " +
                            (value.IsNumber() ? FormatNumber(number)
                                              : std::string("a non-number")));
  }
  return static_cast<MPI_Count>(number);
}

}  // namespace

bool IsBufferSpec(Napi::Value value) {
  if (!value.IsArray()) return false;
  Napi::Array array = value.As<Napi::Array>();
  uint32_t length = array.Length();
  if (length != 2 && length != 3) return false;
  Napi::Value last = array.Get(length - 1);
  return !last.IsTypedArray() && !last.IsDataView();
}

BufferView ParseBufferSpec(Napi::Env env, Napi::Array spec, const char* name) {
  const std::string where(name);
  const std::string forms =
      " must be an ArrayBufferView (TypedArray, Buffer or DataView) or a "
      "buffer spec [buf, datatype], [buf, count, datatype] or "
      "[buf, [count, displacement], datatype]";
  uint32_t length = spec.Length();
  if (length != 2 && length != 3) {
    ThrowTypeError(
        env, where + forms + "; got an array of " + std::to_string(length));
  }
  BufferView base;
  if (!TryGetPlainView(env, spec.Get(0u), &base)) {
    ThrowTypeError(env, where + forms +
                            "; got an array whose first element is not an "
                            "ArrayBufferView");
  }
  std::string type_where = where + "[" + std::to_string(length - 1) + "]";
  TypeEntry& type =
      GetDatatype(env, spec.Get(length - 1), type_where.c_str(), true);
  MPI_Count count = -1, displacement = 0;
  if (length == 3) {
    Napi::Value shape = spec.Get(1u);
    if (shape.IsArray()) {
      Napi::Array pair = shape.As<Napi::Array>();
      if (pair.Length() != 2) {
        ThrowTypeError(env,
                       where + "[1] must be a count or [count, displacement]");
      }
      count = SpecInteger(env, pair.Get(0u), where + "[1][0] (count)");
      displacement =
          SpecInteger(env, pair.Get(1u), where + "[1][1] (displacement)");
    } else {
      count = SpecInteger(env, shape, where + "[1] (count)");
    }
    if (count < 0) {
      ThrowRangeError(env, where + ": count must be >= 0, got " + Str(count));
    }
  }
  const MPI_Count bytes = static_cast<MPI_Count>(base.bytes);
  if (count < 0) {
    // [buf, datatype]: as many whole items as fill the buffer.
    if (type.extent <= 0) {
      ThrowRangeError(
          env, where + ": " + type.name + " has extent " + Str(type.extent) +
                   " bytes; give the count: [buf, count, datatype]");
    }
    if (bytes % type.extent != 0) {
      ThrowRangeError(
          env, where + ": the buffer (" + Str(bytes) +
                   " bytes) is not a multiple of the extent of " + type.name +
                   " (" + Str(type.extent) +
                   " bytes); give the count: [buf, count, datatype]");
    }
    count = bytes / type.extent;
  }
  const MPI_Count offset = displacement * type.extent;
  if (count > 0 && type.size > 0) {
    // Items sit at offset + k * extent; each touches [true_lb, true_lb +
    // true_extent) of itself.
    MPI_Count span = (count - 1) * type.extent;
    MPI_Count low = offset + type.true_lb + (span < 0 ? span : 0);
    MPI_Count high =
        offset + type.true_lb + type.true_extent + (span > 0 ? span : 0);
    if (low < 0 || high > bytes) {
      ThrowRangeError(env, where + ": " + Str(count) + " x " + type.name +
                               " (extent " + Str(type.extent) +
                               " bytes, true extent " + Str(type.true_extent) +
                               " bytes) at displacement " + Str(displacement) +
                               " needs bytes " + Str(low) + ".." + Str(high) +
                               " of the buffer, which holds " + Str(bytes) +
                               " bytes");
    }
  }
  BufferView view;
  view.data = static_cast<char*>(base.data) + offset;
  view.count = count;
  view.bytes = static_cast<size_t>(count * type.size);
  view.type = type.type;
  view.type_name = type.name.c_str();
  view.value = base.value;
  return view;
}

}  // namespace mpiloop
