// User-defined reduction ops (MPI_Op_create) calling a JavaScript function.
//
// MPI calls an MPI_User_function with no user data, so each live op gets
// one of kSlots trampolines, a distinct C function that knows its slot. MPI
// runs it on the main thread, inside a blocking collective or inside the
// MPI_Test/MPI_Testsome that progresses a nonblocking one, so the JS
// function is called synchronously there: on copies of the two vectors (a
// JS function must not keep views of MPI's memory), the result copied back.
// The JS side passes a wrapper that never throws (it records the error for
// the collective to report); anything thrown anyway is cleared, since an
// exception must not unwind through MPI's C frames.
#include <array>
#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "args.h"
#include "datatype.h"
#include "environment.h"
#include "errors.h"
#include "modules.h"
#include "ops.h"

namespace mpiloop {
namespace {

constexpr int kSlots = 64;

struct UserOp {
  napi_env env = nullptr;
  napi_ref fn = nullptr;
  MPI_Op op = MPI_OP_NULL;
  int slot = -1;
  ~UserOp();
};

// Slot -> the op using its trampoline (cleared when the op is destroyed).
std::array<UserOp*, kSlots> g_live{};
// JS handle -> op, until opFree; nonblocking collectives hold their own
// references, so a freed op lives on until they complete.
std::unordered_map<int, std::shared_ptr<UserOp>> g_handles;
int g_next_handle = 1;

UserOp::~UserOp() {
  if (slot >= 0) g_live[slot] = nullptr;
  if (fn != nullptr && env != nullptr) napi_delete_reference(env, fn);
}

// The element kind the JS wrapper builds its views with.
int KindOf(MPI_Datatype type) {
  const MPI_Datatype kinds[] = {
      MPI_SIGNED_CHAR, MPI_UNSIGNED_CHAR, MPI_SHORT, MPI_UNSIGNED_SHORT,
      MPI_INT,         MPI_UNSIGNED,      MPI_FLOAT, MPI_DOUBLE,
      MPI_INT64_T,     MPI_UINT64_T};
  for (int i = 0; i < 10; ++i) {
    if (type == kinds[i]) return i;
  }
  for (int pair = 0; pair < kPairTypes; ++pair) {
    if (type == GetPairInfo(pair).type) return 16 + pair;
  }
  return 10;  // bytes
}

void Invoke(int slot, void* in, void* inout, int* len, MPI_Datatype* type) {
  UserOp* op = g_live[slot];
  if (op == nullptr || *len <= 0) return;
  napi_env env = op->env;
  MPI_Aint lower = 0, extent = 0;
  if (MPI_Type_get_extent(*type, &lower, &extent) != MPI_SUCCESS) return;
  size_t bytes = static_cast<size_t>(*len) * static_cast<size_t>(extent);
  napi_handle_scope scope = nullptr;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  void* in_copy = nullptr;
  void* inout_copy = nullptr;
  napi_value argv[4], fn = nullptr, result = nullptr, global = nullptr;
  if (napi_create_arraybuffer(env, bytes, &in_copy, &argv[0]) == napi_ok &&
      napi_create_arraybuffer(env, bytes, &inout_copy, &argv[1]) == napi_ok &&
      napi_create_int32(env, KindOf(*type), &argv[2]) == napi_ok &&
      napi_create_int32(env, *len, &argv[3]) == napi_ok &&
      napi_get_reference_value(env, op->fn, &fn) == napi_ok &&
      napi_get_global(env, &global) == napi_ok) {
    std::memcpy(in_copy, in, bytes);
    std::memcpy(inout_copy, inout, bytes);
    if (napi_call_function(env, global, fn, 4, argv, &result) == napi_ok) {
      std::memcpy(inout, inout_copy, bytes);
    }
  }
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
  napi_close_handle_scope(env, scope);
}

template <int Slot>
void Trampoline(void* in, void* inout, int* len, MPI_Datatype* type) {
  Invoke(Slot, in, inout, len, type);
}

template <int... Slots>
constexpr std::array<MPI_User_function*, kSlots> MakeTrampolines(
    std::integer_sequence<int, Slots...>) {
  return {&Trampoline<Slots>...};
}

const std::array<MPI_User_function*, kSlots> kTrampolines =
    MakeTrampolines(std::make_integer_sequence<int, kSlots>());

// opCreate(fn, commute) -> handle. fn(inBytes, inoutBytes, kind, count)
// updates inoutBytes (an ArrayBuffer copy of MPI's inout vector).
Napi::Value OpCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  if (!info[0].IsFunction()) ThrowTypeError(env, "fn must be a function");
  bool commute = info[1].ToBoolean();
  int slot = -1;
  for (int i = 0; i < kSlots; ++i) {
    if (g_live[i] == nullptr) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    ThrowRangeError(env, "too many user ops alive at once (at most " +
                             std::to_string(kSlots) +
                             "): free() the ones no longer needed");
  }
  auto op = std::make_shared<UserOp>();
  CheckMpi(env, MPI_Op_create(kTrampolines[slot], commute ? 1 : 0, &op->op),
           "MPI_Op_create");
  op->env = env;
  op->slot = slot;
  napi_create_reference(env, info[0], 1, &op->fn);
  g_live[slot] = op.get();
  int handle = g_next_handle++;
  g_handles.emplace(handle, std::move(op));
  return Napi::Number::New(env, handle);
}

Napi::Value OpFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = ArgInt(info, 0, "op");
  auto it = g_handles.find(handle);
  if (it == g_handles.end()) {
    ThrowError(env, "user op " + std::to_string(handle) + " is already freed");
  }
  // MPI keeps an op that pending collectives use until they complete.
  if (MpiUsable()) MPI_Op_free(&it->second->op);
  g_handles.erase(it);
  return env.Undefined();
}

// reduceLocal(inbuf, inoutbuf, op, pair?): inoutbuf = inbuf op inoutbuf.
Napi::Value ReduceLocal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  BufferView in = GetView(env, info[0], "inbuf");
  BufferView inout = GetView(env, info[1], "inoutbuf");
  MPI_Op op = GetOp(info, 2);
  int pair = ArgPairType(info, 3);
  if (pair >= 0) {
    PairInfo p = GetPairInfo(pair);
    for (BufferView* view : {&in, &inout}) {
      if (view->bytes % p.extent != 0) {
        ThrowRangeError(env, std::string(view == &in ? "inbuf" : "inoutbuf") +
                                 " is not a whole number of " + p.name +
                                 " pairs");
      }
      view->count = static_cast<MPI_Count>(view->bytes / p.extent);
      view->type = p.type;
    }
  } else if (in.type != inout.type) {
    ThrowTypeError(env, std::string("inoutbuf must have the same element "
                                    "type as inbuf (") +
                            in.type_name + "), got " + inout.type_name);
  }
  if (in.count != inout.count) {
    ThrowRangeError(
        env, "inoutbuf must have as many elements as inbuf (" +
                 std::to_string(static_cast<long long>(in.count)) + "), got " +
                 std::to_string(static_cast<long long>(inout.count)));
  }
  if (in.count > INT_MAX) ThrowRangeError(env, "inbuf is too long for MPI");
  CheckMpi(env,
           MPI_Reduce_local(in.data, inout.data, static_cast<int>(in.count),
                            in.type, op),
           "MPI_Reduce_local");
  return env.Undefined();
}

Napi::Value PairExtents(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env, kPairTypes);
  for (int pair = 0; pair < kPairTypes; ++pair) {
    out.Set(pair, Napi::Number::New(
                      env, static_cast<double>(GetPairInfo(pair).extent)));
  }
  return out;
}

}  // namespace

std::shared_ptr<void> HoldUserOp(MPI_Op op) {
  for (auto& item : g_handles) {
    if (item.second->op == op) return item.second;
  }
  return nullptr;
}

MPI_Op LookupUserOp(Napi::Env env, int handle) {
  auto it = g_handles.find(handle);
  if (it == g_handles.end()) {
    ThrowError(env, "user op " + std::to_string(handle) +
                        " has been freed (or was never created)");
  }
  return it->second->op;
}

void ReleaseUserOps() { g_handles.clear(); }

void RegisterUserOps(Napi::Env env, Napi::Object exports) {
  exports.Set("opCreate", Napi::Function::New(env, OpCreate, "opCreate"));
  exports.Set("opFree", Napi::Function::New(env, OpFree, "opFree"));
  exports.Set("reduceLocal",
              Napi::Function::New(env, ReduceLocal, "reduceLocal"));
  exports.Set("pairExtents",
              Napi::Function::New(env, PairExtents, "pairExtents"));
}

}  // namespace mpiloop
