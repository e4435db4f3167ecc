// MPI_Info: create, set, get, delete, keys, dup and free. Keys and values are
// strings; MPI bounds their lengths (MPI_MAX_INFO_KEY, MPI_MAX_INFO_VAL),
// checked here so an over-long key is a RangeError naming it.
#include "info.h"

#include <cmath>
#include <string>
#include <vector>

#include "environment.h"
#include "errors.h"
#include "modules.h"

namespace mpiloop {
namespace {

std::vector<MPI_Info> g_infos;

int Add(MPI_Info info) {
  g_infos.push_back(info);
  return static_cast<int>(g_infos.size() - 1);
}

MPI_Info GetInfo(Napi::Env env, Napi::Value value) {
  MPI_Info info = GetInfoOrNull(env, value, "info");
  if (info == MPI_INFO_NULL) ThrowError(env, "info is INFO_NULL");
  return info;
}

std::string Key(Napi::Env env, Napi::Value value) {
  if (!value.IsString()) ThrowTypeError(env, "key must be a string");
  std::string key = value.As<Napi::String>().Utf8Value();
  if (key.empty() || key.size() > MPI_MAX_INFO_KEY) {
    ThrowRangeError(env, "key must have 1.." +
                             std::to_string(MPI_MAX_INFO_KEY) +
                             " characters, got " + std::to_string(key.size()));
  }
  return key;
}

Napi::Value InfoCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  MPI_Info out = MPI_INFO_NULL;
  CheckMpi(env, MPI_Info_create(&out), "MPI_Info_create");
  return Napi::Number::New(env, Add(out));
}

Napi::Value InfoSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Info handle = GetInfo(env, info[0]);
  std::string key = Key(env, info[1]);
  if (!info[2].IsString()) ThrowTypeError(env, "value must be a string");
  std::string value = info[2].As<Napi::String>().Utf8Value();
  if (value.size() > MPI_MAX_INFO_VAL) {
    ThrowRangeError(
        env, "value must have at most " + std::to_string(MPI_MAX_INFO_VAL) +
                 " characters, got " + std::to_string(value.size()));
  }
  CheckMpi(env, MPI_Info_set(handle, key.c_str(), value.c_str()),
           "MPI_Info_set");
  return env.Undefined();
}

// The value, or undefined when the key is not set.
Napi::Value InfoGet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Info handle = GetInfo(env, info[0]);
  std::string key = Key(env, info[1]);
  int length = 0, flag = 0;
  CheckMpi(env, MPI_Info_get_valuelen(handle, key.c_str(), &length, &flag),
           "MPI_Info_get_valuelen");
  if (!flag) return env.Undefined();
  std::vector<char> value(static_cast<size_t>(length) + 1, '\0');
  CheckMpi(env, MPI_Info_get(handle, key.c_str(), length, value.data(), &flag),
           "MPI_Info_get");
  return Napi::String::New(env, value.data());
}

// True when the key was set (MPI_Info_delete of a missing key is an error in
// MPI; here it is a no-op answering false).
Napi::Value InfoDelete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Info handle = GetInfo(env, info[0]);
  std::string key = Key(env, info[1]);
  int length = 0, flag = 0;
  CheckMpi(env, MPI_Info_get_valuelen(handle, key.c_str(), &length, &flag),
           "MPI_Info_get_valuelen");
  if (!flag) return Napi::Boolean::New(env, false);
  CheckMpi(env, MPI_Info_delete(handle, key.c_str()), "MPI_Info_delete");
  return Napi::Boolean::New(env, true);
}

Napi::Value InfoKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Info handle = GetInfo(env, info[0]);
  int n = 0;
  CheckMpi(env, MPI_Info_get_nkeys(handle, &n), "MPI_Info_get_nkeys");
  Napi::Array keys = Napi::Array::New(env, static_cast<size_t>(n));
  char key[MPI_MAX_INFO_KEY + 1];
  for (int i = 0; i < n; ++i) {
    CheckMpi(env, MPI_Info_get_nthkey(handle, i, key), "MPI_Info_get_nthkey");
    keys.Set(static_cast<uint32_t>(i), Napi::String::New(env, key));
  }
  return keys;
}

Napi::Value InfoDup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Info out = MPI_INFO_NULL;
  CheckMpi(env, MPI_Info_dup(GetInfo(env, info[0]), &out), "MPI_Info_dup");
  return Napi::Number::New(env, Add(out));
}

Napi::Value InfoFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetInfo(env, info[0]);
  MPI_Info& handle =
      g_infos[static_cast<size_t>(info[0].As<Napi::Number>().Int32Value())];
  CheckMpi(env, MPI_Info_free(&handle), "MPI_Info_free");
  handle = MPI_INFO_NULL;
  return env.Undefined();
}

}  // namespace

MPI_Info GetInfoOrNull(Napi::Env env, Napi::Value value, const char* name) {
  RequireMpi(env);
  if (value.IsNull() || value.IsUndefined()) return MPI_INFO_NULL;
  if (!value.IsNumber()) {
    ThrowTypeError(env, std::string(name) + " must be an Info or INFO_NULL");
  }
  double number = value.As<Napi::Number>().DoubleValue();
  if (number == kInfoNull) return MPI_INFO_NULL;
  if (number != std::trunc(number) || number < 0 ||
      number >= static_cast<double>(g_infos.size()) ||
      g_infos[static_cast<size_t>(number)] == MPI_INFO_NULL) {
    ThrowError(env, std::string(name) + ": unknown Info handle " +
                        FormatNumber(number) + " (freed, or never created)");
  }
  return g_infos[static_cast<size_t>(number)];
}

void RegisterInfo(Napi::Env env, Napi::Object exports) {
  auto set = [&](const char* name, Napi::Function::Callback fn) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  set("infoCreate", InfoCreate);
  set("infoSet", InfoSet);
  set("infoGet", InfoGet);
  set("infoDelete", InfoDelete);
  set("infoKeys", InfoKeys);
  set("infoDup", InfoDup);
  set("infoFree", InfoFree);
}

}  // namespace mpiloop
