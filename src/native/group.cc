// MPI_Group: the group of a communicator, its rank arithmetic (incl, excl,
// ranges, set operations), translation of ranks and comparison.
#include "group.h"

#include <cmath>
#include <string>
#include <vector>

#include "args.h"
#include "comm_table.h"
#include "environment.h"
#include "errors.h"
#include "modules.h"

namespace mpiloop {
namespace {

std::vector<MPI_Group> g_groups;

void EnsureTable() {
  if (g_groups.empty()) g_groups.push_back(MPI_GROUP_EMPTY);
}

Napi::Value Handle(Napi::Env env, MPI_Group group) {
  return Napi::Number::New(env, AddGroup(group));
}

// An Int32Array of ranks, each checked against the group's size so a bad
// rank is a RangeError naming it rather than an MPI error.
IntArray Ranks(Napi::Env env, Napi::Value value, MPI_Group group,
               const char* name) {
  IntArray ranks = ArgIntArray(env, value, name, false);
  int size = 0;
  MPI_Group_size(group, &size);
  for (size_t i = 0; i < ranks.length; ++i) {
    int r = ranks.data[i];
    if (r < 0 || r >= size) {
      ThrowRangeError(env, std::string(name) + "[" + std::to_string(i) +
                               "] = " + std::to_string(r) +
                               " is not a rank of a group of size " +
                               std::to_string(size));
    }
    for (size_t j = 0; j < i; ++j) {
      if (ranks.data[j] == r) {
        ThrowRangeError(env, std::string(name) + " lists rank " +
                                 std::to_string(r) + " twice");
      }
    }
  }
  return ranks;
}

Napi::Value CommGroup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  MPI_Group group = MPI_GROUP_NULL;
  CheckMpi(env, MPI_Comm_group(comm.comm, &group), "MPI_Comm_group");
  return Handle(env, group);
}

Napi::Value CommRemoteGroup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  if (!comm.inter) ThrowError(env, "remoteGroup: not an intercommunicator");
  MPI_Group group = MPI_GROUP_NULL;
  CheckMpi(env, MPI_Comm_remote_group(comm.comm, &group),
           "MPI_Comm_remote_group");
  return Handle(env, group);
}

Napi::Value GroupSize(const Napi::CallbackInfo& info) {
  int size = 0;
  MPI_Group_size(GetGroup(info.Env(), info[0], "group"), &size);
  return Napi::Number::New(info.Env(), size);
}

// UNDEFINED when the calling process is not a member.
Napi::Value GroupRank(const Napi::CallbackInfo& info) {
  int rank = MPI_UNDEFINED;
  MPI_Group_rank(GetGroup(info.Env(), info[0], "group"), &rank);
  return Napi::Number::New(info.Env(), rank);
}

using SelectFn = int (*)(MPI_Group, int, const int[], MPI_Group*);

Napi::Value Select(const Napi::CallbackInfo& info, SelectFn fn,
                   const char* name) {
  Napi::Env env = info.Env();
  MPI_Group group = GetGroup(env, info[0], "group");
  IntArray ranks = Ranks(env, info[1], group, "ranks");
  MPI_Group out = MPI_GROUP_NULL;
  CheckMpi(env,
           fn(group, static_cast<int>(ranks.length),
              const_cast<int*>(ranks.data), &out),
           name);
  return Handle(env, out);
}

Napi::Value GroupIncl(const Napi::CallbackInfo& info) {
  return Select(info, MPI_Group_incl, "MPI_Group_incl");
}
Napi::Value GroupExcl(const Napi::CallbackInfo& info) {
  return Select(info, MPI_Group_excl, "MPI_Group_excl");
}

using RangeFn = int (*)(MPI_Group, int, int[][3], MPI_Group*);

// ranges: an Int32Array of (first, last, stride) triples.
Napi::Value SelectRanges(const Napi::CallbackInfo& info, RangeFn fn,
                         const char* name) {
  Napi::Env env = info.Env();
  MPI_Group group = GetGroup(env, info[0], "group");
  IntArray flat = ArgIntArray(env, info[1], "ranges", false);
  if (flat.length % 3 != 0) {
    ThrowTypeError(env, "ranges must be [first, last, stride] triples");
  }
  int size = 0;
  MPI_Group_size(group, &size);
  std::vector<int> triples(flat.data, flat.data + flat.length);
  for (size_t i = 0; i < triples.size(); i += 3) {
    int first = triples[i], last = triples[i + 1], stride = triples[i + 2];
    std::string which = "ranges[" + std::to_string(i / 3) + "]";
    if (stride == 0) ThrowRangeError(env, which + ": stride must not be 0");
    if (first < 0 || first >= size || last < 0 || last >= size) {
      ThrowRangeError(env, which +
                               ": first and last must be ranks of a "
                               "group of size " +
                               std::to_string(size));
    }
  }
  MPI_Group out = MPI_GROUP_NULL;
  CheckMpi(env,
           fn(group, static_cast<int>(triples.size() / 3),
              reinterpret_cast<int(*)[3]>(triples.data()), &out),
           name);
  return Handle(env, out);
}

Napi::Value GroupRangeIncl(const Napi::CallbackInfo& info) {
  return SelectRanges(info, MPI_Group_range_incl, "MPI_Group_range_incl");
}
Napi::Value GroupRangeExcl(const Napi::CallbackInfo& info) {
  return SelectRanges(info, MPI_Group_range_excl, "MPI_Group_range_excl");
}

using SetFn = int (*)(MPI_Group, MPI_Group, MPI_Group*);

Napi::Value Combine(const Napi::CallbackInfo& info, SetFn fn,
                    const char* name) {
  Napi::Env env = info.Env();
  MPI_Group a = GetGroup(env, info[0], "group1");
  MPI_Group b = GetGroup(env, info[1], "group2");
  MPI_Group out = MPI_GROUP_NULL;
  CheckMpi(env, fn(a, b, &out), name);
  return Handle(env, out);
}

Napi::Value GroupUnion(const Napi::CallbackInfo& info) {
  return Combine(info, MPI_Group_union, "MPI_Group_union");
}
Napi::Value GroupIntersection(const Napi::CallbackInfo& info) {
  return Combine(info, MPI_Group_intersection, "MPI_Group_intersection");
}
Napi::Value GroupDifference(const Napi::CallbackInfo& info) {
  return Combine(info, MPI_Group_difference, "MPI_Group_difference");
}

// translateRanks(group1, ranks, group2) -> Int32Array (UNDEFINED where a
// process is not in group2).
Napi::Value GroupTranslateRanks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  MPI_Group a = GetGroup(env, info[0], "group1");
  IntArray ranks = Ranks(env, info[1], a, "ranks");
  MPI_Group b = GetGroup(env, info[2], "group2");
  Napi::Int32Array out = Napi::Int32Array::New(env, ranks.length);
  if (ranks.length > 0) {
    CheckMpi(env,
             MPI_Group_translate_ranks(a, static_cast<int>(ranks.length),
                                       ranks.data, b, out.Data()),
             "MPI_Group_translate_ranks");
  }
  return out;
}

Napi::Value GroupCompare(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int result = MPI_UNEQUAL;
  CheckMpi(env,
           MPI_Group_compare(GetGroup(env, info[0], "group1"),
                             GetGroup(env, info[1], "group2"), &result),
           "MPI_Group_compare");
  return Napi::Number::New(env, result);
}

Napi::Value GroupFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GetGroup(env, info[0], "group");
  int handle = info[0].As<Napi::Number>().Int32Value();
  if (handle == kGroupEmpty) ThrowError(env, "cannot free GROUP_EMPTY");
  MPI_Group& group = g_groups[static_cast<size_t>(handle)];
  CheckMpi(env, MPI_Group_free(&group), "MPI_Group_free");
  group = MPI_GROUP_NULL;
  return env.Undefined();
}

}  // namespace

MPI_Group GetGroup(Napi::Env env, Napi::Value value, const char* name) {
  RequireMpi(env);
  EnsureTable();
  if (!value.IsNumber()) {
    ThrowTypeError(env, std::string(name) + " must be a Group");
  }
  size_t index = 0;
  if (!HandleIndex(value, g_groups.size(), &index) ||
      g_groups[index] == MPI_GROUP_NULL) {
    ThrowError(env, std::string(name) + ": unknown group handle " +
                        FormatNumber(value.As<Napi::Number>().DoubleValue()) +
                        " (freed, or never created)");
  }
  return g_groups[index];
}

int AddGroup(MPI_Group group) {
  EnsureTable();
  g_groups.push_back(group);
  return static_cast<int>(g_groups.size() - 1);
}

void RegisterGroups(Napi::Env env, Napi::Object exports) {
  auto set = [&](const char* name, Napi::Function::Callback fn) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  set("commGroup", CommGroup);
  set("commRemoteGroup", CommRemoteGroup);
  set("groupSize", GroupSize);
  set("groupRank", GroupRank);
  set("groupIncl", GroupIncl);
  set("groupExcl", GroupExcl);
  set("groupRangeIncl", GroupRangeIncl);
  set("groupRangeExcl", GroupRangeExcl);
  set("groupUnion", GroupUnion);
  set("groupIntersection", GroupIntersection);
  set("groupDifference", GroupDifference);
  set("groupTranslateRanks", GroupTranslateRanks);
  set("groupCompare", GroupCompare);
  set("groupFree", GroupFree);
}

}  // namespace mpiloop
