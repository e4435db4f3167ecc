// Derived datatypes (mpi4py's Datatype): the handle table, the predefined
// types, the MPI_Type_create_* constructors, commit/free and the layout
// queries. Constructors check their arguments first, so a bad shape is a
// RangeError naming the argument rather than an MPI error.
#include <climits>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "datatype_table.h"
#include "environment.h"
#include "errors.h"
#include "modules.h"

namespace mpiloop {
namespace {

struct Predefined {
  const char* name;  // mpi4py's name
  MPI_Datatype type;
};

// A function, not a static table: Open MPI's handles are link-time objects
// that a static initializer could read before they are set up.
std::vector<Predefined> PredefinedTypes() {
  return {
      {"CHAR", MPI_CHAR},
      {"SIGNED_CHAR", MPI_SIGNED_CHAR},
      {"UNSIGNED_CHAR", MPI_UNSIGNED_CHAR},
      {"BYTE", MPI_BYTE},
      {"WCHAR", MPI_WCHAR},
      {"SHORT", MPI_SHORT},
      {"UNSIGNED_SHORT", MPI_UNSIGNED_SHORT},
      {"INT", MPI_INT},
      {"UNSIGNED", MPI_UNSIGNED},
      {"LONG", MPI_LONG},
      {"UNSIGNED_LONG", MPI_UNSIGNED_LONG},
      {"LONG_LONG", MPI_LONG_LONG},
      {"UNSIGNED_LONG_LONG", MPI_UNSIGNED_LONG_LONG},
      {"FLOAT", MPI_FLOAT},
      {"DOUBLE", MPI_DOUBLE},
      {"LONG_DOUBLE", MPI_LONG_DOUBLE},
      {"C_BOOL", MPI_C_BOOL},
      {"INT8_T", MPI_INT8_T},
      {"INT16_T", MPI_INT16_T},
      {"INT32_T", MPI_INT32_T},
      {"INT64_T", MPI_INT64_T},
      {"UINT8_T", MPI_UINT8_T},
      {"UINT16_T", MPI_UINT16_T},
      {"UINT32_T", MPI_UINT32_T},
      {"UINT64_T", MPI_UINT64_T},
      {"AINT", MPI_AINT},
      {"OFFSET", MPI_OFFSET},
      {"COUNT", MPI_COUNT},
      {"PACKED", MPI_PACKED},
      {"SHORT_INT", MPI_SHORT_INT},
      {"TWOINT", MPI_2INT},
      {"LONG_INT", MPI_LONG_INT},
      {"FLOAT_INT", MPI_FLOAT_INT},
      {"DOUBLE_INT", MPI_DOUBLE_INT},
      {"LONG_DOUBLE_INT", MPI_LONG_DOUBLE_INT},
  };
}

std::vector<std::unique_ptr<TypeEntry>>& Table() {
  static std::vector<std::unique_ptr<TypeEntry>> table;
  if (table.empty()) {
    for (const Predefined& p : PredefinedTypes()) {
      auto entry = std::make_unique<TypeEntry>();
      entry->type = p.type;
      entry->name = std::string("MPI_") + p.name;
      entry->handle = static_cast<int>(table.size());
      entry->predefined = true;
      entry->committed = true;
      table.push_back(std::move(entry));
    }
  }
  return table;
}

void FillLayout(Napi::Env env, TypeEntry& entry) {
  if (entry.layout_known) return;
  RequireMpi(env);
  CheckMpi(env, MPI_Type_size_x(entry.type, &entry.size), "MPI_Type_size_x");
  CheckMpi(env, MPI_Type_get_extent_x(entry.type, &entry.lb, &entry.extent),
           "MPI_Type_get_extent_x");
  CheckMpi(env,
           MPI_Type_get_true_extent_x(entry.type, &entry.true_lb,
                                      &entry.true_extent),
           "MPI_Type_get_true_extent_x");
  entry.layout_known = true;
}

// ---- argument helpers -------------------------------------------------------

int ArgCount(const Napi::CallbackInfo& info, size_t index, const char* name) {
  int value = ArgInt(info, index, name);
  if (value < 0) {
    ThrowRangeError(info.Env(), std::string(name) + " must be >= 0, got " +
                                    std::to_string(value));
  }
  return value;
}

// A JS array (or typed array) of integers; `non_negative` rejects < 0.
std::vector<int> ArgInts(Napi::Env env, Napi::Value value, const char* name,
                         bool non_negative) {
  if (!value.IsArray() && !value.IsTypedArray()) {
    ThrowTypeError(env, std::string(name) + " must be an array of integers");
  }
  Napi::Object array = value.As<Napi::Object>();
  uint32_t length = array.Get("length").As<Napi::Number>().Uint32Value();
  std::vector<int> out(length);
  for (uint32_t i = 0; i < length; ++i) {
    Napi::Value item = array.Get(i);
    double number =
        item.IsNumber() ? item.As<Napi::Number>().DoubleValue() : std::nan("");
    std::string where = std::string(name) + "[" + std::to_string(i) + "]";
    if (!(number == std::trunc(number)) || number < INT_MIN ||
        number > INT_MAX) {
      ThrowRangeError(env, where + " must be a 32-bit integer, got " +
                               FormatNumber(number));
    }
    if (non_negative && number < 0) {
      ThrowRangeError(env,
                      where + " must be >= 0, got " + FormatNumber(number));
    }
    out[i] = static_cast<int>(number);
  }
  return out;
}

// Byte displacements: safe integers.
std::vector<MPI_Aint> ArgAints(Napi::Env env, Napi::Value value,
                               const char* name) {
  if (!value.IsArray() && !value.IsTypedArray()) {
    ThrowTypeError(env, std::string(name) + " must be an array of integers");
  }
  Napi::Object array = value.As<Napi::Object>();
  uint32_t length = array.Get("length").As<Napi::Number>().Uint32Value();
  std::vector<MPI_Aint> out(length);
  for (uint32_t i = 0; i < length; ++i) {
    Napi::Value item = array.Get(i);
    double number =
        item.IsNumber() ? item.As<Napi::Number>().DoubleValue() : std::nan("");
    if (!(number == std::trunc(number)) ||
        std::fabs(number) > 9007199254740991.0) {
      ThrowRangeError(env, std::string(name) + "[" + std::to_string(i) +
                               "] must be an integer, got " +
                               FormatNumber(number));
    }
    out[i] = static_cast<MPI_Aint>(number);
  }
  return out;
}

MPI_Aint ArgAint(const Napi::CallbackInfo& info, size_t index,
                 const char* name) {
  Napi::Value value = info[index];
  double number =
      value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : std::nan("");
  if (!(number == std::trunc(number)) ||
      std::fabs(number) > 9007199254740991.0) {
    ThrowRangeError(
        info.Env(),
        std::string(name) + " must be an integer, got " + FormatNumber(number));
  }
  return static_cast<MPI_Aint>(number);
}

void SameLength(Napi::Env env, size_t a, const char* a_name, size_t b,
                const char* b_name) {
  if (a == b) return;
  ThrowRangeError(env, std::string(a_name) + " and " + b_name +
                           " must have the same length, got " +
                           std::to_string(a) + " and " + std::to_string(b));
}

// The old type's short name, for the new type's name.
std::string Short(const TypeEntry& entry) {
  return entry.name.rfind("MPI_", 0) == 0 ? entry.name.substr(4) : entry.name;
}

Napi::Value Made(Napi::Env env, MPI_Datatype type, std::string name) {
  return Napi::Number::New(env, AddDatatype(type, std::move(name)));
}

// ---- constructors -----------------------------------------------------------

Napi::Value TypeContiguous(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int count = ArgCount(info, 0, "count");
  TypeEntry& old = GetDatatype(env, info[1], "oldtype", false);
  MPI_Datatype type;
  CheckMpi(env, MPI_Type_contiguous(count, old.type, &type),
           "MPI_Type_contiguous");
  return Made(env, type, "contiguous(" + Short(old) + ")");
}

Napi::Value TypeVector(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int count = ArgCount(info, 0, "count");
  int blocklength = ArgCount(info, 1, "blocklength");
  int stride = ArgInt(info, 2, "stride");
  TypeEntry& old = GetDatatype(env, info[3], "oldtype", false);
  MPI_Datatype type;
  CheckMpi(env, MPI_Type_vector(count, blocklength, stride, old.type, &type),
           "MPI_Type_vector");
  return Made(env, type, "vector(" + Short(old) + ")");
}

Napi::Value TypeHvector(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int count = ArgCount(info, 0, "count");
  int blocklength = ArgCount(info, 1, "blocklength");
  MPI_Aint stride = ArgAint(info, 2, "stride");
  TypeEntry& old = GetDatatype(env, info[3], "oldtype", false);
  MPI_Datatype type;
  CheckMpi(env,
           MPI_Type_create_hvector(count, blocklength, stride, old.type, &type),
           "MPI_Type_create_hvector");
  return Made(env, type, "hvector(" + Short(old) + ")");
}

Napi::Value TypeIndexed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> lengths = ArgInts(env, info[0], "blocklengths", true);
  std::vector<int> displs = ArgInts(env, info[1], "displacements", false);
  SameLength(env, lengths.size(), "blocklengths", displs.size(),
             "displacements");
  TypeEntry& old = GetDatatype(env, info[2], "oldtype", false);
  MPI_Datatype type;
  CheckMpi(env,
           MPI_Type_indexed(static_cast<int>(lengths.size()), lengths.data(),
                            displs.data(), old.type, &type),
           "MPI_Type_indexed");
  return Made(env, type, "indexed(" + Short(old) + ")");
}

Napi::Value TypeIndexedBlock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int blocklength = ArgCount(info, 0, "blocklength");
  std::vector<int> displs = ArgInts(env, info[1], "displacements", false);
  TypeEntry& old = GetDatatype(env, info[2], "oldtype", false);
  MPI_Datatype type;
  CheckMpi(env,
           MPI_Type_create_indexed_block(static_cast<int>(displs.size()),
                                         blocklength, displs.data(), old.type,
                                         &type),
           "MPI_Type_create_indexed_block");
  return Made(env, type, "indexed_block(" + Short(old) + ")");
}

Napi::Value TypeHindexed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> lengths = ArgInts(env, info[0], "blocklengths", true);
  std::vector<MPI_Aint> displs = ArgAints(env, info[1], "displacements");
  SameLength(env, lengths.size(), "blocklengths", displs.size(),
             "displacements");
  TypeEntry& old = GetDatatype(env, info[2], "oldtype", false);
  MPI_Datatype type;
  CheckMpi(
      env,
      MPI_Type_create_hindexed(static_cast<int>(lengths.size()), lengths.data(),
                               displs.data(), old.type, &type),
      "MPI_Type_create_hindexed");
  return Made(env, type, "hindexed(" + Short(old) + ")");
}

Napi::Value TypeSubarray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> sizes = ArgInts(env, info[0], "sizes", true);
  std::vector<int> subsizes = ArgInts(env, info[1], "subsizes", true);
  std::vector<int> starts = ArgInts(env, info[2], "starts", true);
  int order = ArgInt(info, 3, "order");
  TypeEntry& old = GetDatatype(env, info[4], "oldtype", false);
  SameLength(env, sizes.size(), "sizes", subsizes.size(), "subsizes");
  SameLength(env, sizes.size(), "sizes", starts.size(), "starts");
  if (sizes.empty()) ThrowRangeError(env, "sizes must not be empty");
  if (order != MPI_ORDER_C && order != MPI_ORDER_FORTRAN) {
    ThrowRangeError(
        env, "order must be ORDER_C (" + std::to_string(MPI_ORDER_C) +
                 ") or ORDER_FORTRAN (" + std::to_string(MPI_ORDER_FORTRAN) +
                 "), got " + std::to_string(order));
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::string d = "[" + std::to_string(i) + "]";
    if (sizes[i] < 1) {
      ThrowRangeError(
          env, "sizes" + d + " must be >= 1, got " + std::to_string(sizes[i]));
    }
    if (subsizes[i] < 1 || subsizes[i] > sizes[i]) {
      ThrowRangeError(env, "subsizes" + d + " must be in 1.." +
                               std::to_string(sizes[i]) + " (sizes" + d +
                               "), got " + std::to_string(subsizes[i]));
    }
    if (starts[i] > sizes[i] - subsizes[i]) {
      ThrowRangeError(env, "starts" + d + " + subsizes" + d + " = " +
                               std::to_string(starts[i] + subsizes[i]) +
                               " exceeds sizes" + d + " (" +
                               std::to_string(sizes[i]) + ")");
    }
  }
  MPI_Datatype type;
  CheckMpi(env,
           MPI_Type_create_subarray(static_cast<int>(sizes.size()),
                                    sizes.data(), subsizes.data(),
                                    starts.data(), order, old.type, &type),
           "MPI_Type_create_subarray");
  return Made(env, type, "subarray(" + Short(old) + ")");
}

Napi::Value TypeStruct(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> lengths = ArgInts(env, info[0], "blocklengths", true);
  std::vector<MPI_Aint> displs = ArgAints(env, info[1], "displacements");
  if (!info[2].IsArray()) {
    ThrowTypeError(env, "datatypes must be an array of Datatypes");
  }
  Napi::Array list = info[2].As<Napi::Array>();
  SameLength(env, lengths.size(), "blocklengths", displs.size(),
             "displacements");
  SameLength(env, lengths.size(), "blocklengths", list.Length(), "datatypes");
  std::vector<MPI_Datatype> types;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    std::string where = "datatypes[" + std::to_string(i) + "]";
    types.push_back(GetDatatype(env, list.Get(i), where.c_str(), false).type);
  }
  MPI_Datatype type;
  CheckMpi(
      env,
      MPI_Type_create_struct(static_cast<int>(lengths.size()), lengths.data(),
                             displs.data(), types.data(), &type),
      "MPI_Type_create_struct");
  return Made(env, type, "struct");
}

Napi::Value TypeResized(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TypeEntry& old = GetDatatype(env, info[0], "oldtype", false);
  MPI_Aint lb = ArgAint(info, 1, "lb");
  MPI_Aint extent = ArgAint(info, 2, "extent");
  MPI_Datatype type;
  CheckMpi(env, MPI_Type_create_resized(old.type, lb, extent, &type),
           "MPI_Type_create_resized");
  return Made(env, type, "resized(" + Short(old) + ")");
}

Napi::Value TypeDup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TypeEntry& old = GetDatatype(env, info[0], "datatype", false);
  MPI_Datatype type;
  CheckMpi(env, MPI_Type_dup(old.type, &type), "MPI_Type_dup");
  int handle = AddDatatype(type, Short(old));
  // A duplicate of a committed type is committed (MPI says so).
  Table()[static_cast<size_t>(handle)]->committed = old.committed;
  return Napi::Number::New(env, handle);
}

// ---- lifetime and queries ---------------------------------------------------

Napi::Value TypeCommit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TypeEntry& entry = GetDatatype(env, info[0], "datatype", false);
  if (entry.predefined || entry.committed) return env.Undefined();
  CheckMpi(env, MPI_Type_commit(&entry.type), "MPI_Type_commit");
  entry.committed = true;
  return env.Undefined();
}

Napi::Value TypeFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TypeEntry& entry = GetDatatype(env, info[0], "datatype", false);
  if (entry.predefined) {
    ThrowError(env,
               "free: " + entry.name + " is predefined and cannot be freed");
  }
  // Operations already posted with it keep their own reference (MPI rule).
  CheckMpi(env, MPI_Type_free(&entry.type), "MPI_Type_free");
  entry.type = MPI_DATATYPE_NULL;
  return env.Undefined();
}

// [size, lb, extent, trueLb, trueExtent] in bytes.
Napi::Value TypeLayout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TypeEntry& entry = GetDatatype(env, info[0], "datatype", false);
  Napi::Float64Array out = Napi::Float64Array::New(env, 5);
  out[0] = static_cast<double>(entry.size);
  out[1] = static_cast<double>(entry.lb);
  out[2] = static_cast<double>(entry.extent);
  out[3] = static_cast<double>(entry.true_lb);
  out[4] = static_cast<double>(entry.true_extent);
  return out;
}

Napi::Value TypeName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TypeEntry& entry = GetDatatype(env, info[0], "datatype", false);
  return Napi::String::New(env, entry.name);
}

Napi::Value TypeCommitted(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TypeEntry& entry = GetDatatype(env, info[0], "datatype", false);
  return Napi::Boolean::New(env, entry.committed);
}

}  // namespace

TypeEntry& GetDatatype(Napi::Env env, Napi::Value value, const char* name,
                       bool for_communication) {
  RequireMpi(env);
  Napi::Value handle_value = value;
  if (value.IsObject() && !value.IsArray()) {
    handle_value = value.As<Napi::Object>().Get("datatypeHandle");
  }
  if (!handle_value.IsNumber()) {
    ThrowTypeError(env, std::string(name) + " must be a Datatype");
  }
  auto& table = Table();
  size_t index = 0;
  if (!HandleIndex(handle_value, table.size(), &index)) {
    ThrowTypeError(
        env, std::string(name) + " must be a Datatype (unknown handle " +
                 FormatNumber(handle_value.As<Napi::Number>().DoubleValue()) +
                 ")");
  }
  TypeEntry& entry = *table[index];
  if (entry.type == MPI_DATATYPE_NULL) {
    ThrowError(env, std::string(name) + ": the datatype " + entry.name +
                        " has been freed");
  }
  if (for_communication && !entry.committed) {
    ThrowError(env, std::string(name) + ": the datatype " + entry.name +
                        " is not committed (call commit() before using it)");
  }
  FillLayout(env, entry);
  return entry;
}

int AddDatatype(MPI_Datatype type, std::string name) {
  auto& table = Table();
  auto entry = std::make_unique<TypeEntry>();
  entry->type = type;
  entry->name = std::move(name);
  entry->handle = static_cast<int>(table.size());
  table.push_back(std::move(entry));
  return table.back()->handle;
}

void RegisterDatatypes(Napi::Env env, Napi::Object exports) {
  Napi::Object predefined = Napi::Object::New(env);
  std::vector<Predefined> list = PredefinedTypes();
  for (size_t i = 0; i < list.size(); ++i) {
    predefined.Set(list[i].name,
                   Napi::Number::New(env, static_cast<double>(i)));
  }
  predefined.Freeze();
  exports.Set("predefinedTypes", predefined);
  Napi::Object constants = Napi::Object::New(env);
  constants.Set("ORDER_C", Napi::Number::New(env, MPI_ORDER_C));
  constants.Set("ORDER_FORTRAN", Napi::Number::New(env, MPI_ORDER_FORTRAN));
  constants.Freeze();
  exports.Set("typeConstants", constants);
  auto fn = [&](const char* js, Napi::Function::Callback cb) {
    exports.Set(js, Napi::Function::New(env, cb, js));
  };
  fn("typeContiguous", TypeContiguous);
  fn("typeVector", TypeVector);
  fn("typeHvector", TypeHvector);
  fn("typeIndexed", TypeIndexed);
  fn("typeIndexedBlock", TypeIndexedBlock);
  fn("typeHindexed", TypeHindexed);
  fn("typeSubarray", TypeSubarray);
  fn("typeStruct", TypeStruct);
  fn("typeResized", TypeResized);
  fn("typeDup", TypeDup);
  fn("typeCommit", TypeCommit);
  fn("typeFree", TypeFree);
  fn("typeLayout", TypeLayout);
  fn("typeName", TypeName);
  fn("typeCommitted", TypeCommitted);
}

}  // namespace mpiloop
