// Blocking collectives: each parses its family's spec (collective_specs.h)
// and runs the plain MPI call inside the watchdog's blocking marker.
#include "blocking.h"
#include "collective_specs.h"
#include "comm_table.h"
#include "modules.h"

namespace mpiloop {
namespace {

Napi::Value Barrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RunBlocking(env, "MPI_Barrier", [&] { return MPI_Barrier(comm.comm); });
  return env.Undefined();
}

Napi::Value Bcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BcastSpec s = ParseBcast(info, false);
  RunBlocking(env, "MPI_Bcast", [&] {
    return MPI_Bcast(s.wire.buf, s.wire.count, s.wire.type, s.root, s.comm);
  });
  return env.Undefined();
}

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReductionSpec s = ParseReduce(info, false);
  RunBlocking(env, "MPI_Reduce", [&] {
    return MPI_Reduce(s.send, s.recv, s.count, s.type, s.op, s.root, s.comm);
  });
  return env.Undefined();
}

// MPI_Allreduce, MPI_Scan and MPI_Exscan take the same arguments: one spec,
// the function and its name chosen by the caller.
using AllReductionFn = int (*)(const void*, void*, int, MPI_Datatype, MPI_Op,
                               MPI_Comm);

Napi::Value AllReduction(const Napi::CallbackInfo& info, AllReductionFn fn,
                         const char* name) {
  Napi::Env env = info.Env();
  ReductionSpec s = ParseAllReduction(info, false);
  RunBlocking(env, name, [&] {
    return fn(s.send, s.recv, s.count, s.type, s.op, s.comm);
  });
  return env.Undefined();
}

Napi::Value Allreduce(const Napi::CallbackInfo& info) {
  return AllReduction(info, MPI_Allreduce, "MPI_Allreduce");
}
Napi::Value Scan(const Napi::CallbackInfo& info) {
  return AllReduction(info, MPI_Scan, "MPI_Scan");
}
Napi::Value Exscan(const Napi::CallbackInfo& info) {
  return AllReduction(info, MPI_Exscan, "MPI_Exscan");
}

Napi::Value Gather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseGather(info, false);
  RunBlocking(env, "MPI_Gather", [&] {
    return MPI_Gather(s.send, s.send_count, s.send_type, s.recv, s.recv_count,
                      s.recv_type, s.root, s.comm);
  });
  return env.Undefined();
}

Napi::Value Scatter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseScatter(info, false);
  RunBlocking(env, "MPI_Scatter", [&] {
    return MPI_Scatter(s.send, s.send_count, s.send_type, s.recv, s.recv_count,
                       s.recv_type, s.root, s.comm);
  });
  return env.Undefined();
}

Napi::Value Allgather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseAllgather(info, false);
  RunBlocking(env, "MPI_Allgather", [&] {
    return MPI_Allgather(s.send, s.send_count, s.send_type, s.recv,
                         s.recv_count, s.recv_type, s.comm);
  });
  return env.Undefined();
}

Napi::Value Alltoall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseAlltoall(info, false);
  RunBlocking(env, "MPI_Alltoall", [&] {
    return MPI_Alltoall(s.send, s.send_count, s.send_type, s.recv, s.recv_count,
                        s.recv_type, s.comm);
  });
  return env.Undefined();
}

Napi::Value Gatherv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseGatherv(info, false);
  RunBlocking(env, "MPI_Gatherv", [&] {
    return MPI_Gatherv(s.send, s.send_count, s.send_type, s.recv, s.recv_counts,
                       s.recv_displs, s.recv_type, s.root, s.comm);
  });
  return env.Undefined();
}

Napi::Value Scatterv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseScatterv(info, false);
  RunBlocking(env, "MPI_Scatterv", [&] {
    return MPI_Scatterv(s.send, s.send_counts, s.send_displs, s.send_type,
                        s.recv, s.recv_count, s.recv_type, s.root, s.comm);
  });
  return env.Undefined();
}

Napi::Value Allgatherv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseAllgatherv(info, false);
  RunBlocking(env, "MPI_Allgatherv", [&] {
    return MPI_Allgatherv(s.send, s.send_count, s.send_type, s.recv,
                          s.recv_counts, s.recv_displs, s.recv_type, s.comm);
  });
  return env.Undefined();
}

Napi::Value Alltoallv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseAlltoallv(info, false);
  RunBlocking(env, "MPI_Alltoallv", [&] {
    return MPI_Alltoallv(s.send, s.send_counts, s.send_displs, s.send_type,
                         s.recv, s.recv_counts, s.recv_displs, s.recv_type,
                         s.comm);
  });
  return env.Undefined();
}

Napi::Value Alltoallw(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AlltoallwSpec s = ParseAlltoallw(info, false);
  RunBlocking(env, "MPI_Alltoallw", [&] {
    return MPI_Alltoallw(MPI_BOTTOM, s.send_counts, s.send_displs, s.send_types,
                         MPI_BOTTOM, s.recv_counts, s.recv_displs, s.recv_types,
                         s.comm);
  });
  return env.Undefined();
}

Napi::Value ReduceScatter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReduceScatterSpec s = ParseReduceScatter(info, false);
  RunBlocking(env, "MPI_Reduce_scatter", [&] {
    return MPI_Reduce_scatter(s.send, s.recv, s.counts, s.type, s.op, s.comm);
  });
  return env.Undefined();
}

Napi::Value ReduceScatterBlock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReduceScatterSpec s = ParseReduceScatterBlock(info, false);
  RunBlocking(env, "MPI_Reduce_scatter_block", [&] {
    return MPI_Reduce_scatter_block(s.send, s.recv, s.count, s.type, s.op,
                                    s.comm);
  });
  return env.Undefined();
}

}  // namespace

void RegisterCollectives(Napi::Env env, Napi::Object exports) {
  exports.Set("barrier", Napi::Function::New(env, Barrier, "barrier"));
  exports.Set("bcast", Napi::Function::New(env, Bcast, "bcast"));
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exports.Set("allreduce", Napi::Function::New(env, Allreduce, "allreduce"));
  exports.Set("scan", Napi::Function::New(env, Scan, "scan"));
  exports.Set("exscan", Napi::Function::New(env, Exscan, "exscan"));
  exports.Set("gather", Napi::Function::New(env, Gather, "gather"));
  exports.Set("scatter", Napi::Function::New(env, Scatter, "scatter"));
  exports.Set("allgather", Napi::Function::New(env, Allgather, "allgather"));
  exports.Set("alltoall", Napi::Function::New(env, Alltoall, "alltoall"));
  exports.Set("gatherv", Napi::Function::New(env, Gatherv, "gatherv"));
  exports.Set("scatterv", Napi::Function::New(env, Scatterv, "scatterv"));
  exports.Set("allgatherv", Napi::Function::New(env, Allgatherv, "allgatherv"));
  exports.Set("alltoallv", Napi::Function::New(env, Alltoallv, "alltoallv"));
  exports.Set("alltoallw", Napi::Function::New(env, Alltoallw, "alltoallw"));
  exports.Set("reduceScatter",
              Napi::Function::New(env, ReduceScatter, "reduceScatter"));
  exports.Set("reduceScatterBlock", Napi::Function::New(env, ReduceScatterBlock,
                                                        "reduceScatterBlock"));
}

}  // namespace mpiloop
