// One-sided communication (mpi4py's Win): windows as integer handles, the
// RMA operations and the synchronisation calls. The operations return at
// once (MPI completes them at the next synchronisation), so the JS views
// they read or write are pinned until that synchronisation: a temporary
// origin array cannot be collected while MPI still uses it. Every window
// records each rank's size and displacement unit (one allgather at
// creation), so a target region outside the target's window is a
// RangeError on the caller instead of a remote memory fault.
#include <climits>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "blocking.h"
#include "comm_table.h"
#include "datatype.h"
#include "datatype_table.h"
#include "environment.h"
#include "errors.h"
#include "info_args.h"
#include "modules.h"
#include "ops.h"

namespace mpiloop {
namespace {

struct WinEntry {
  MPI_Win win = MPI_WIN_NULL;
  int rank = 0, size = 0;
  std::vector<MPI_Aint> sizes;  // every rank's window size, in bytes
  std::vector<int> units;       // every rank's displacement unit
  void* base = nullptr;         // local memory
  napi_ref memory = nullptr;    // Win.create: the user's view; else the
                                // ArrayBuffer over MPI's memory
  bool mpi_memory = false;      // allocate/allocateShared: detach at free
  bool shared = false;
  std::vector<napi_ref> exposed;  // sharedQuery ArrayBuffers, detached at free
  std::vector<std::pair<int, napi_ref>> pins;  // (target, view) until sync
};

std::vector<std::unique_ptr<WinEntry>>& Table() {
  static std::vector<std::unique_ptr<WinEntry>> table;
  return table;
}

WinEntry& GetWin(Napi::Env env, Napi::Value value) {
  RequireMpi(env);
  auto& table = Table();
  size_t index = 0;
  if (!HandleIndex(value, table.size(), &index)) {
    ThrowTypeError(env, "win must be a window handle");
  }
  WinEntry& entry = *table[index];
  if (entry.win == MPI_WIN_NULL) ThrowError(env, "the window has been freed");
  return entry;
}

Napi::Value AddWin(Napi::Env env, std::unique_ptr<WinEntry> entry,
                   const CommEntry& comm) {
  MPI_Win_set_errhandler(entry->win, MPI_ERRORS_RETURN);
  entry->rank = comm.rank;
  entry->size = comm.size;
  // Every rank's size and unit, for the bounds checks (collective, as the
  // creation itself is).
  MPI_Aint mine[2] = {0, 0};
  int flag = 0;
  MPI_Aint* size_attr = nullptr;
  int* unit_attr = nullptr;
  MPI_Win_get_attr(entry->win, MPI_WIN_SIZE, &size_attr, &flag);
  if (flag) mine[0] = *size_attr;
  MPI_Win_get_attr(entry->win, MPI_WIN_DISP_UNIT, &unit_attr, &flag);
  if (flag) mine[1] = *unit_attr;
  std::vector<MPI_Aint> all(2 * static_cast<size_t>(comm.size));
  RunBlocking(env, "MPI_Allgather", [&] {
    return MPI_Allgather(mine, 2, MPI_AINT, all.data(), 2, MPI_AINT, comm.comm);
  });
  for (int r = 0; r < comm.size; ++r) {
    entry->sizes.push_back(all[2 * r]);
    entry->units.push_back(static_cast<int>(all[2 * r + 1]));
  }
  auto& table = Table();
  table.push_back(std::move(entry));
  return Napi::Number::New(env, static_cast<double>(table.size() - 1));
}

int ArgUnit(const Napi::CallbackInfo& info, size_t index) {
  int unit = ArgInt(info, index, "dispUnit");
  if (unit < 1) {
    ThrowRangeError(info.Env(),
                    "dispUnit must be >= 1, got " + std::to_string(unit));
  }
  return unit;
}

MPI_Aint ArgBytes(const Napi::CallbackInfo& info, size_t index,
                  const char* name) {
  double number = ArgNonNegative(info, index, name);
  if (number != std::trunc(number)) {
    ThrowRangeError(
        info.Env(),
        std::string(name) + " must be an integer, got " + FormatNumber(number));
  }
  return static_cast<MPI_Aint>(number);
}

// An ArrayBuffer over memory MPI owns; detached when the window is freed,
// so JS can never touch the memory afterwards.
napi_value External(Napi::Env env, void* data, size_t bytes) {
  napi_value buffer = nullptr;
  if (bytes == 0 || data == nullptr) {
    napi_create_arraybuffer(env, 0, nullptr, &buffer);
  } else {
    napi_create_external_arraybuffer(env, data, bytes, nullptr, nullptr,
                                     &buffer);
  }
  return buffer;
}

void Detach(napi_env env, napi_ref ref) {
  napi_value value = nullptr;
  if (napi_get_reference_value(env, ref, &value) == napi_ok &&
      value != nullptr) {
    bool detached = true;
    if (napi_is_detached_arraybuffer(env, value, &detached) == napi_ok &&
        !detached) {
      napi_detach_arraybuffer(env, value);
    }
  }
  napi_delete_reference(env, ref);
}

void Pin(napi_env env, WinEntry& entry, int target, napi_value value) {
  if (value == nullptr) return;
  napi_ref ref = nullptr;
  if (napi_create_reference(env, value, 1, &ref) == napi_ok) {
    entry.pins.emplace_back(target, ref);
  }
}

// Releases the views pinned for `target` (-1: all).
void Unpin(napi_env env, WinEntry& entry, int target) {
  std::vector<std::pair<int, napi_ref>> kept;
  for (auto& pin : entry.pins) {
    if (target < 0 || pin.first == target) {
      napi_delete_reference(env, pin.second);
    } else {
      kept.push_back(pin);
    }
  }
  entry.pins.swap(kept);
}

// ---- creation ---------------------------------------------------------------

// winCreate(buf | null, dispUnit, info, comm)
Napi::Value WinCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BufferView view;
  bool has_buf = GetViewOrNull(env, info[0], "buf", &view);
  int unit = ArgUnit(info, 1);
  InfoHandle mpi_info = ArgInfo(env, info[2], "info");
  CommEntry comm = GetComm(env, info[3]);
  auto entry = std::make_unique<WinEntry>();
  void* base = has_buf ? view.data : nullptr;
  MPI_Aint bytes = has_buf ? static_cast<MPI_Aint>(view.bytes) : 0;
  RunBlocking(env, "MPI_Win_create", [&] {
    return MPI_Win_create(base, bytes, unit, mpi_info.get(), comm.comm,
                          &entry->win);
  });
  entry->base = base;
  if (has_buf) napi_create_reference(env, view.value, 1, &entry->memory);
  return AddWin(env, std::move(entry), comm);
}

// winAllocate(size, dispUnit, info, comm, shared)
Napi::Value WinAllocate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Aint bytes = ArgBytes(info, 0, "size");
  int unit = ArgUnit(info, 1);
  InfoHandle mpi_info = ArgInfo(env, info[2], "info");
  CommEntry comm = GetComm(env, info[3]);
  bool shared = info[4].ToBoolean().Value();
  auto entry = std::make_unique<WinEntry>();
  void* base = nullptr;
  const char* name = shared ? "MPI_Win_allocate_shared" : "MPI_Win_allocate";
  RunBlocking(env, name, [&] {
    return shared ? MPI_Win_allocate_shared(bytes, unit, mpi_info.get(),
                                            comm.comm, &base, &entry->win)
                  : MPI_Win_allocate(bytes, unit, mpi_info.get(), comm.comm,
                                     &base, &entry->win);
  });
  entry->base = base;
  entry->mpi_memory = true;
  entry->shared = shared;
  napi_create_reference(env, External(env, base, static_cast<size_t>(bytes)), 1,
                        &entry->memory);
  return AddWin(env, std::move(entry), comm);
}

// The local memory: the view given to create(), or the ArrayBuffer over
// MPI's memory; undefined for a window created without memory.
Napi::Value WinMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  if (entry.memory == nullptr) return env.Undefined();
  napi_value value = nullptr;
  napi_get_reference_value(env, entry.memory, &value);
  return Napi::Value(env, value);
}

// [size, dispUnit] of every rank: Float64Array(2 * commSize).
Napi::Value WinSizes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  Napi::Float64Array out = Napi::Float64Array::New(env, 2 * entry.sizes.size());
  for (size_t r = 0; r < entry.sizes.size(); ++r) {
    out[2 * r] = static_cast<double>(entry.sizes[r]);
    out[2 * r + 1] = entry.units[r];
  }
  return out;
}

// winSharedQuery(win, rank) -> [ArrayBuffer, dispUnit]
Napi::Value WinSharedQuery(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  int rank = ArgInt(info, 1, "rank");
  if (!entry.shared) {
    ThrowError(env, "sharedQuery: the window was not made by allocateShared");
  }
  if (rank < 0 || rank >= entry.size) {
    ThrowRangeError(env, "rank must be in 0.." +
                             std::to_string(entry.size - 1) + ", got " +
                             std::to_string(rank));
  }
  MPI_Aint bytes = 0;
  int unit = 1;
  void* base = nullptr;
  CheckMpi(env, MPI_Win_shared_query(entry.win, rank, &bytes, &unit, &base),
           "MPI_Win_shared_query");
  napi_value buffer = External(env, base, static_cast<size_t>(bytes));
  napi_ref ref = nullptr;
  napi_create_reference(env, buffer, 0, &ref);  // weak: only to detach
  entry.exposed.push_back(ref);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Value(env, buffer));
  out.Set(1u, Napi::Number::New(env, unit));
  return out;
}

Napi::Value WinFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  RunBlocking(env, "MPI_Win_free", [&] { return MPI_Win_free(&entry.win); });
  Unpin(env, entry, -1);
  for (napi_ref ref : entry.exposed) Detach(env, ref);
  entry.exposed.clear();
  if (entry.memory != nullptr) {
    if (entry.mpi_memory) {
      Detach(env, entry.memory);
    } else {
      napi_delete_reference(env, entry.memory);
    }
    entry.memory = nullptr;
  }
  entry.win = MPI_WIN_NULL;
  return env.Undefined();
}

// ---- RMA operations
// -----------------------------------------------------------

struct Target {
  int rank = 0;
  MPI_Aint disp = 0;
  int count = 0;
  MPI_Datatype type = MPI_DATATYPE_NULL;
};

int ArgTargetRank(Napi::Env env, const Napi::CallbackInfo& info, size_t index,
                  const WinEntry& entry) {
  int rank = ArgInt(info, index, "targetRank");
  CheckDest(env, rank, entry.size, "targetRank");
  return rank;
}

int OriginCount(Napi::Env env, const BufferView& view, const char* name) {
  if (view.count > INT_MAX) {
    ThrowRangeError(env, std::string(name) +
                             " has more than INT_MAX items; one-sided "
                             "operations are limited to INT_MAX per call");
  }
  return static_cast<int>(view.count);
}

// target spec: (disp, count, datatype) at info[index..index+2]; count < 0 or
// a null datatype means "as the origin". With `single`, only disp is read:
// one element of origin_type.
Target ArgTarget(Napi::Env env, const Napi::CallbackInfo& info, size_t index,
                 const WinEntry& entry, int rank, int origin_count,
                 MPI_Datatype origin_type, const char* where,
                 bool single = false) {
  Target t;
  t.rank = rank;
  double disp = ArgNonNegative(info, index, "targetDisp");
  if (disp != std::trunc(disp)) {
    ThrowRangeError(env,
                    "targetDisp must be an integer, got " + FormatNumber(disp));
  }
  t.disp = static_cast<MPI_Aint>(disp);
  int count = single ? 1 : ArgInt(info, index + 1, "targetCount");
  Napi::Value type_value = single ? env.Null() : info[index + 2];
  MPI_Count extent = 0, true_lb = 0, true_extent = 0;
  if (type_value.IsNull() || type_value.IsUndefined()) {
    t.type = origin_type;
    MPI_Count lb = 0;
    MPI_Type_get_extent_x(origin_type, &lb, &extent);
    MPI_Type_get_true_extent_x(origin_type, &true_lb, &true_extent);
  } else {
    TypeEntry& type = GetDatatype(env, type_value, "targetDatatype", true);
    t.type = type.type;
    extent = type.extent;
    true_lb = type.true_lb;
    true_extent = type.true_extent;
  }
  t.count = count < 0 ? origin_count : count;
  if (rank == MPI_PROC_NULL || t.count == 0) return t;
  // Bytes touched in the target window: disp * unit + items.
  double start = static_cast<double>(t.disp) * entry.units[rank];
  double low = start + static_cast<double>(true_lb);
  double high = start + static_cast<double>(true_lb + true_extent) +
                static_cast<double>(t.count - 1) * static_cast<double>(extent);
  if (low < 0 || high > static_cast<double>(entry.sizes[rank])) {
    ThrowRangeError(
        env, std::string(where) + ": the target region (bytes " +
                 FormatNumber(low) + ".." + FormatNumber(high) +
                 ") lies outside rank " + std::to_string(rank) + "'s window (" +
                 std::to_string(static_cast<long long>(entry.sizes[rank])) +
                 " bytes, dispUnit " + std::to_string(entry.units[rank]) + ")");
  }
  return t;
}

// winPut / winGet (win, origin, targetRank, targetDisp, targetCount,
// targetType)
Napi::Value PutOrGet(const Napi::CallbackInfo& info, bool put) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  BufferView origin = GetView(env, info[1], "origin");
  int rank = ArgTargetRank(env, info, 2, entry);
  int count = OriginCount(env, origin, "origin");
  const char* name = put ? "MPI_Put" : "MPI_Get";
  Target t = ArgTarget(env, info, 3, entry, rank, count, origin.type,
                       put ? "Put" : "Get");
  CheckMpi(env,
           put ? MPI_Put(origin.data, count, origin.type, t.rank, t.disp,
                         t.count, t.type, entry.win)
               : MPI_Get(origin.data, count, origin.type, t.rank, t.disp,
                         t.count, t.type, entry.win),
           name);
  Pin(env, entry, rank, origin.value);
  return env.Undefined();
}
Napi::Value WinPut(const Napi::CallbackInfo& info) {
  return PutOrGet(info, true);
}
Napi::Value WinGet(const Napi::CallbackInfo& info) {
  return PutOrGet(info, false);
}

// winAccumulate(win, origin, targetRank, targetDisp, targetCount, targetType,
// op)
Napi::Value WinAccumulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  BufferView origin = GetView(env, info[1], "origin");
  int rank = ArgTargetRank(env, info, 2, entry);
  int count = OriginCount(env, origin, "origin");
  Target t =
      ArgTarget(env, info, 3, entry, rank, count, origin.type, "Accumulate");
  MPI_Op op = GetOp(info, 6);
  CheckMpi(env,
           MPI_Accumulate(origin.data, count, origin.type, t.rank, t.disp,
                          t.count, t.type, op, entry.win),
           "MPI_Accumulate");
  Pin(env, entry, rank, origin.value);
  return env.Undefined();
}

// winGetAccumulate(win, origin | null, result, targetRank, targetDisp,
//                  targetCount, targetType, op)
Napi::Value WinGetAccumulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  BufferView origin;
  bool has_origin = GetViewOrNull(env, info[1], "origin", &origin);
  BufferView result = GetView(env, info[2], "result");
  int rank = ArgTargetRank(env, info, 3, entry);
  int result_count = OriginCount(env, result, "result");
  int origin_count = has_origin ? OriginCount(env, origin, "origin") : 0;
  Target t = ArgTarget(env, info, 4, entry, rank, result_count, result.type,
                       "Get_accumulate");
  MPI_Op op = GetOp(info, 7);
  if (!has_origin && op != MPI_NO_OP) {
    ThrowTypeError(env,
                   "origin must be an ArrayBufferView (null is only "
                   "allowed with NO_OP)");
  }
  CheckMpi(env,
           MPI_Get_accumulate(has_origin ? origin.data : nullptr, origin_count,
                              has_origin ? origin.type : result.type,
                              result.data, result_count, result.type, t.rank,
                              t.disp, t.count, t.type, op, entry.win),
           "MPI_Get_accumulate");
  if (has_origin) Pin(env, entry, rank, origin.value);
  Pin(env, entry, rank, result.value);
  return env.Undefined();
}

// One element: the datatype of `result`, which must hold exactly one.
void CheckSingle(Napi::Env env, const BufferView& view, const char* name) {
  if (view.count != 1) {
    ThrowRangeError(env,
                    std::string(name) + " must hold exactly one element, got " +
                        std::to_string(static_cast<long long>(view.count)));
  }
}

// winFetchAndOp(win, origin | null, result, targetRank, targetDisp, op)
Napi::Value WinFetchAndOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  BufferView origin;
  bool has_origin = GetViewOrNull(env, info[1], "origin", &origin);
  BufferView result = GetView(env, info[2], "result");
  CheckSingle(env, result, "result");
  if (has_origin) CheckSingle(env, origin, "origin");
  int rank = ArgTargetRank(env, info, 3, entry);
  MPI_Op op = GetOp(info, 5);
  if (!has_origin && op != MPI_NO_OP) {
    ThrowTypeError(env,
                   "origin must be an ArrayBufferView (null is only "
                   "allowed with NO_OP)");
  }
  if (has_origin && origin.type != result.type) {
    ThrowTypeError(
        env, std::string("origin must have the element type of result (") +
                 result.type_name + "), got " + origin.type_name);
  }
  Target t = ArgTarget(env, info, 4, entry, rank, 1, result.type,
                       "Fetch_and_op", true);
  CheckMpi(env,
           MPI_Fetch_and_op(has_origin ? origin.data : nullptr, result.data,
                            result.type, t.rank, t.disp, op, entry.win),
           "MPI_Fetch_and_op");
  if (has_origin) Pin(env, entry, rank, origin.value);
  Pin(env, entry, rank, result.value);
  return env.Undefined();
}

// MPI defines Compare_and_swap for integer, logical and byte types only (Open
// MPI crashes on others rather than failing).
bool SwappableType(MPI_Datatype type) {
  const MPI_Datatype allowed[] = {
      MPI_CHAR,          MPI_SIGNED_CHAR, MPI_UNSIGNED_CHAR,
      MPI_BYTE,          MPI_SHORT,       MPI_UNSIGNED_SHORT,
      MPI_INT,           MPI_UNSIGNED,    MPI_LONG,
      MPI_UNSIGNED_LONG, MPI_LONG_LONG,   MPI_UNSIGNED_LONG_LONG,
      MPI_INT8_T,        MPI_INT16_T,     MPI_INT32_T,
      MPI_INT64_T,       MPI_UINT8_T,     MPI_UINT16_T,
      MPI_UINT32_T,      MPI_UINT64_T,    MPI_C_BOOL,
      MPI_AINT,          MPI_OFFSET,      MPI_COUNT};
  for (MPI_Datatype candidate : allowed) {
    if (candidate == type) return true;
  }
  return false;
}

// winCompareAndSwap(win, origin, compare, result, targetRank, targetDisp)
Napi::Value WinCompareAndSwap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  BufferView origin = GetView(env, info[1], "origin");
  BufferView compare = GetView(env, info[2], "compare");
  BufferView result = GetView(env, info[3], "result");
  CheckSingle(env, origin, "origin");
  CheckSingle(env, compare, "compare");
  CheckSingle(env, result, "result");
  if (origin.type != result.type || compare.type != result.type) {
    ThrowTypeError(env, std::string("origin, compare and result must have one "
                                    "element type, got ") +
                            origin.type_name + ", " + compare.type_name +
                            " and " + result.type_name);
  }
  if (!SwappableType(result.type)) {
    ThrowTypeError(env, std::string("Compare_and_swap works on integer, "
                                    "boolean and byte elements only, got ") +
                            result.type_name);
  }
  int rank = ArgTargetRank(env, info, 4, entry);
  Target t = ArgTarget(env, info, 5, entry, rank, 1, result.type,
                       "Compare_and_swap", true);
  CheckMpi(env,
           MPI_Compare_and_swap(origin.data, compare.data, result.data,
                                result.type, t.rank, t.disp, entry.win),
           "MPI_Compare_and_swap");
  Pin(env, entry, rank, origin.value);
  Pin(env, entry, rank, compare.value);
  Pin(env, entry, rank, result.value);
  return env.Undefined();
}

// ---- synchronisation
// ----------------------------------------------------------

int ArgAssert(const Napi::CallbackInfo& info, size_t index) {
  return ArgInt(info, index, "assertion");
}

int ArgLockRank(Napi::Env env, const Napi::CallbackInfo& info, size_t index,
                const WinEntry& entry) {
  int rank = ArgInt(info, index, "rank");
  if (rank < 0 || rank >= entry.size) {
    ThrowRangeError(env, "rank must be in 0.." +
                             std::to_string(entry.size - 1) + ", got " +
                             std::to_string(rank));
  }
  return rank;
}

Napi::Value WinFence(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  int assertion = ArgAssert(info, 1);
  RunBlocking(env, "MPI_Win_fence",
              [&] { return MPI_Win_fence(assertion, entry.win); });
  Unpin(env, entry, -1);
  return env.Undefined();
}

Napi::Value WinLock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  int rank = ArgLockRank(env, info, 1, entry);
  int lock_type = ArgInt(info, 2, "lockType");
  if (lock_type != MPI_LOCK_EXCLUSIVE && lock_type != MPI_LOCK_SHARED) {
    ThrowRangeError(env, "lockType must be LOCK_EXCLUSIVE (" +
                             std::to_string(MPI_LOCK_EXCLUSIVE) +
                             ") or LOCK_SHARED (" +
                             std::to_string(MPI_LOCK_SHARED) + "), got " +
                             std::to_string(lock_type));
  }
  int assertion = ArgAssert(info, 3);
  RunBlocking(env, "MPI_Win_lock", [&] {
    return MPI_Win_lock(lock_type, rank, assertion, entry.win);
  });
  return env.Undefined();
}

// unlock, flush, flushLocal: (win, rank); they complete what targets rank.
using RankSync = int (*)(int, MPI_Win);
Napi::Value RankSyncCall(const Napi::CallbackInfo& info, RankSync fn,
                         const char* name) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  int rank = ArgLockRank(env, info, 1, entry);
  RunBlocking(env, name, [&] { return fn(rank, entry.win); });
  Unpin(env, entry, rank);
  return env.Undefined();
}
Napi::Value WinUnlock(const Napi::CallbackInfo& info) {
  return RankSyncCall(info, MPI_Win_unlock, "MPI_Win_unlock");
}
Napi::Value WinFlush(const Napi::CallbackInfo& info) {
  return RankSyncCall(info, MPI_Win_flush, "MPI_Win_flush");
}
Napi::Value WinFlushLocal(const Napi::CallbackInfo& info) {
  return RankSyncCall(info, MPI_Win_flush_local, "MPI_Win_flush_local");
}

// unlockAll, flushAll, flushLocalAll, sync: (win).
using AllSync = int (*)(MPI_Win);
Napi::Value AllSyncCall(const Napi::CallbackInfo& info, AllSync fn,
                        const char* name, bool unpin) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  RunBlocking(env, name, [&] { return fn(entry.win); });
  if (unpin) Unpin(env, entry, -1);
  return env.Undefined();
}
Napi::Value WinUnlockAll(const Napi::CallbackInfo& info) {
  return AllSyncCall(info, MPI_Win_unlock_all, "MPI_Win_unlock_all", true);
}
Napi::Value WinFlushAll(const Napi::CallbackInfo& info) {
  return AllSyncCall(info, MPI_Win_flush_all, "MPI_Win_flush_all", true);
}
Napi::Value WinFlushLocalAll(const Napi::CallbackInfo& info) {
  return AllSyncCall(info, MPI_Win_flush_local_all, "MPI_Win_flush_local_all",
                     true);
}
// MPI_Win_sync orders memory only: nothing to unpin.
Napi::Value WinSync(const Napi::CallbackInfo& info) {
  return AllSyncCall(info, MPI_Win_sync, "MPI_Win_sync", false);
}

Napi::Value WinLockAll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WinEntry& entry = GetWin(env, info[0]);
  int assertion = ArgAssert(info, 1);
  RunBlocking(env, "MPI_Win_lock_all",
              [&] { return MPI_Win_lock_all(assertion, entry.win); });
  return env.Undefined();
}

}  // namespace

void RegisterWindows(Napi::Env env, Napi::Object exports) {
  Napi::Object constants = Napi::Object::New(env);
  constants.Set("LOCK_EXCLUSIVE", Napi::Number::New(env, MPI_LOCK_EXCLUSIVE));
  constants.Set("LOCK_SHARED", Napi::Number::New(env, MPI_LOCK_SHARED));
  constants.Set("MODE_NOCHECK", Napi::Number::New(env, MPI_MODE_NOCHECK));
  constants.Set("MODE_NOSTORE", Napi::Number::New(env, MPI_MODE_NOSTORE));
  constants.Set("MODE_NOPUT", Napi::Number::New(env, MPI_MODE_NOPUT));
  constants.Set("MODE_NOPRECEDE", Napi::Number::New(env, MPI_MODE_NOPRECEDE));
  constants.Set("MODE_NOSUCCEED", Napi::Number::New(env, MPI_MODE_NOSUCCEED));
  constants.Freeze();
  exports.Set("winConstants", constants);
  auto fn = [&](const char* js, Napi::Function::Callback cb) {
    exports.Set(js, Napi::Function::New(env, cb, js));
  };
  fn("winCreate", WinCreate);
  fn("winAllocate", WinAllocate);
  fn("winMemory", WinMemory);
  fn("winSizes", WinSizes);
  fn("winSharedQuery", WinSharedQuery);
  fn("winFree", WinFree);
  fn("winPut", WinPut);
  fn("winGet", WinGet);
  fn("winAccumulate", WinAccumulate);
  fn("winGetAccumulate", WinGetAccumulate);
  fn("winFetchAndOp", WinFetchAndOp);
  fn("winCompareAndSwap", WinCompareAndSwap);
  fn("winFence", WinFence);
  fn("winLock", WinLock);
  fn("winUnlock", WinUnlock);
  fn("winLockAll", WinLockAll);
  fn("winUnlockAll", WinUnlockAll);
  fn("winFlush", WinFlush);
  fn("winFlushAll", WinFlushAll);
  fn("winFlushLocal", WinFlushLocal);
  fn("winFlushLocalAll", WinFlushLocalAll);
  fn("winSync", WinSync);
}

}  // namespace mpiloop
