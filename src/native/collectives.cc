// Blocking collectives: each parses its family's spec (collective_specs.h)
// and runs the plain MPI call inside the watchdog's blocking marker, or its
// nonblocking twin with yielding waits (blocking.h).
#include "blocking.h"
#include "collective_specs.h"
#include "comm_table.h"
#include "modules.h"

namespace mpiloop {
namespace {

// RunWaiting, except on intercommunicators, which keep the blocking call:
// MPICH's nonblocking collectives on them have faults of their own
// (mpi_quirks.h).
template <typename Blocking, typename Poll>
void RunCollective(Napi::Env env, const char* name, MPI_Comm comm,
                   Blocking blocking, Poll poll) {
  int inter = 0;
  if (g_yielding_waits) MPI_Comm_test_inter(comm, &inter);
  if (inter) {
    RunBlocking(env, name, blocking);
  } else {
    RunWaiting(env, name, blocking, poll);
  }
}

Napi::Value Barrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RunCollective(
      env, "MPI_Barrier", comm.comm, [&] { return MPI_Barrier(comm.comm); },
      StartThenTest(
          [&](MPI_Request* r) { return MPI_Ibarrier(comm.comm, r); }));
  return env.Undefined();
}

Napi::Value Bcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BcastSpec s = ParseBcast(info, false);
  RunCollective(
      env, "MPI_Bcast", s.comm,
      [&] {
        return MPI_Bcast(s.wire.buf, s.wire.count, s.wire.type, s.root, s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Ibcast(s.wire.buf, s.wire.count, s.wire.type, s.root, s.comm,
                          r);
      }));
  return env.Undefined();
}

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReductionSpec s = ParseReduce(info, false);
  RunCollective(
      env, "MPI_Reduce", s.comm,
      [&] {
        return MPI_Reduce(s.send, s.recv, s.count, s.type, s.op, s.root,
                          s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Ireduce(s.send, s.recv, s.count, s.type, s.op, s.root,
                           s.comm, r);
      }));
  return env.Undefined();
}

// MPI_Allreduce, MPI_Scan and MPI_Exscan take the same arguments: one spec,
// the function, its nonblocking twin and its name chosen by the caller.
using AllReductionFn = int (*)(const void*, void*, int, MPI_Datatype, MPI_Op,
                               MPI_Comm);
using IallReductionFn = int (*)(const void*, void*, int, MPI_Datatype, MPI_Op,
                                MPI_Comm, MPI_Request*);

Napi::Value AllReduction(const Napi::CallbackInfo& info, AllReductionFn fn,
                         IallReductionFn ifn, const char* name) {
  Napi::Env env = info.Env();
  ReductionSpec s = ParseAllReduction(info, false);
  RunCollective(
      env, name, s.comm,
      [&] { return fn(s.send, s.recv, s.count, s.type, s.op, s.comm); },
      StartThenTest([&](MPI_Request* r) {
        return ifn(s.send, s.recv, s.count, s.type, s.op, s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Allreduce(const Napi::CallbackInfo& info) {
  return AllReduction(info, MPI_Allreduce, MPI_Iallreduce, "MPI_Allreduce");
}
Napi::Value Scan(const Napi::CallbackInfo& info) {
  return AllReduction(info, MPI_Scan, MPI_Iscan, "MPI_Scan");
}
Napi::Value Exscan(const Napi::CallbackInfo& info) {
  return AllReduction(info, MPI_Exscan, MPI_Iexscan, "MPI_Exscan");
}

Napi::Value Gather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseGather(info, false);
  RunCollective(
      env, "MPI_Gather", s.comm,
      [&] {
        return MPI_Gather(s.send, s.send_count, s.send_type, s.recv,
                          s.recv_count, s.recv_type, s.root, s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Igather(s.send, s.send_count, s.send_type, s.recv,
                           s.recv_count, s.recv_type, s.root, s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Scatter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseScatter(info, false);
  RunCollective(
      env, "MPI_Scatter", s.comm,
      [&] {
        return MPI_Scatter(s.send, s.send_count, s.send_type, s.recv,
                           s.recv_count, s.recv_type, s.root, s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Iscatter(s.send, s.send_count, s.send_type, s.recv,
                            s.recv_count, s.recv_type, s.root, s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Allgather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseAllgather(info, false);
  RunCollective(
      env, "MPI_Allgather", s.comm,
      [&] {
        return MPI_Allgather(s.send, s.send_count, s.send_type, s.recv,
                             s.recv_count, s.recv_type, s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Iallgather(s.send, s.send_count, s.send_type, s.recv,
                              s.recv_count, s.recv_type, s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Alltoall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BlockSpec s = ParseAlltoall(info, false);
  RunCollective(
      env, "MPI_Alltoall", s.comm,
      [&] {
        return MPI_Alltoall(s.send, s.send_count, s.send_type, s.recv,
                            s.recv_count, s.recv_type, s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Ialltoall(s.send, s.send_count, s.send_type, s.recv,
                             s.recv_count, s.recv_type, s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Gatherv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseGatherv(info, false);
  RunCollective(
      env, "MPI_Gatherv", s.comm,
      [&] {
        return MPI_Gatherv(s.send, s.send_count, s.send_type, s.recv,
                           s.recv_counts, s.recv_displs, s.recv_type, s.root,
                           s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Igatherv(s.send, s.send_count, s.send_type, s.recv,
                            s.recv_counts, s.recv_displs, s.recv_type, s.root,
                            s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Scatterv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseScatterv(info, false);
  RunCollective(
      env, "MPI_Scatterv", s.comm,
      [&] {
        return MPI_Scatterv(s.send, s.send_counts, s.send_displs, s.send_type,
                            s.recv, s.recv_count, s.recv_type, s.root, s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Iscatterv(s.send, s.send_counts, s.send_displs, s.send_type,
                             s.recv, s.recv_count, s.recv_type, s.root, s.comm,
                             r);
      }));
  return env.Undefined();
}

Napi::Value Allgatherv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseAllgatherv(info, false);
  RunCollective(
      env, "MPI_Allgatherv", s.comm,
      [&] {
        return MPI_Allgatherv(s.send, s.send_count, s.send_type, s.recv,
                              s.recv_counts, s.recv_displs, s.recv_type,
                              s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Iallgatherv(s.send, s.send_count, s.send_type, s.recv,
                               s.recv_counts, s.recv_displs, s.recv_type,
                               s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Alltoallv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  VectorSpec s = ParseAlltoallv(info, false);
  RunCollective(
      env, "MPI_Alltoallv", s.comm,
      [&] {
        return MPI_Alltoallv(s.send, s.send_counts, s.send_displs, s.send_type,
                             s.recv, s.recv_counts, s.recv_displs, s.recv_type,
                             s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Ialltoallv(s.send, s.send_counts, s.send_displs, s.send_type,
                              s.recv, s.recv_counts, s.recv_displs, s.recv_type,
                              s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value Alltoallw(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AlltoallwSpec s = ParseAlltoallw(info, false);
  RunCollective(
      env, "MPI_Alltoallw", s.comm,
      [&] {
        return MPI_Alltoallw(MPI_BOTTOM, s.send_counts, s.send_displs,
                             s.send_types, MPI_BOTTOM, s.recv_counts,
                             s.recv_displs, s.recv_types, s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Ialltoallw(MPI_BOTTOM, s.send_counts, s.send_displs,
                              s.send_types, MPI_BOTTOM, s.recv_counts,
                              s.recv_displs, s.recv_types, s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value ReduceScatter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReduceScatterSpec s = ParseReduceScatter(info, false);
  RunCollective(
      env, "MPI_Reduce_scatter", s.comm,
      [&] {
        return MPI_Reduce_scatter(s.send, s.recv, s.counts, s.type, s.op,
                                  s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Ireduce_scatter(s.send, s.recv, s.counts, s.type, s.op,
                                   s.comm, r);
      }));
  return env.Undefined();
}

Napi::Value ReduceScatterBlock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReduceScatterSpec s = ParseReduceScatterBlock(info, false);
  RunCollective(
      env, "MPI_Reduce_scatter_block", s.comm,
      [&] {
        return MPI_Reduce_scatter_block(s.send, s.recv, s.count, s.type, s.op,
                                        s.comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Ireduce_scatter_block(s.send, s.recv, s.count, s.type, s.op,
                                         s.comm, r);
      }));
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
