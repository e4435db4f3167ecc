// Nonblocking collectives (MPI_Ibcast ... MPI_Ireduce_scatter_block): the
// same specs as the blocking calls, kept (collective_specs.h), posted, and
// registered with the request engine, which pins the views and holds the
// arrays, datatypes and user op until the poller or test() completes them.
#include <string>

#include "collective_specs.h"
#include "comm_table.h"
#include "errors.h"
#include "modules.h"
#include "mpi_quirks.h"
#include "requests.h"

namespace mpiloop {
namespace {

Napi::Value Register(Napi::Env env, int rc, const char* name,
                     const SpecBase& spec, MPI_Request request) {
  CheckMpi(env, rc, name);
  return Napi::Number::New(
      env, RegisterCollective(env, spec.comm, request, spec.pins, spec.hold));
}

Napi::Value Ibcast(const Napi::CallbackInfo& info) {
  BcastSpec s = ParseBcast(info, true);
  // The derived type of a > INT_MAX message may go: MPI keeps its own.
  MPI_Request r = MPI_REQUEST_NULL;
  CommEntry comm = GetComm(info.Env(), info[0]);
  if (kMpichQuirks && comm.inter) {
    // MPICH's own intercommunicator Ibcast loses a root other than rank 0;
    // every rank takes this path, so the ranks' collectives stay in step.
    int rc = IntercommIbcast(s.wire.buf, s.wire.count, s.wire.type, s.root,
                             comm, s.hold->ints, &r);
    return Register(info.Env(), rc, "MPI_Ibcast", s, r);
  }
  int rc =
      MPI_Ibcast(s.wire.buf, s.wire.count, s.wire.type, s.root, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Ibcast", s, r);
}

Napi::Value Ireduce(const Napi::CallbackInfo& info) {
  ReductionSpec s = ParseReduce(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc =
      MPI_Ireduce(s.send, s.recv, s.count, s.type, s.op, s.root, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Ireduce", s, r);
}

using IallReductionFn = int (*)(const void*, void*, int, MPI_Datatype, MPI_Op,
                                MPI_Comm, MPI_Request*);

Napi::Value IallReduction(const Napi::CallbackInfo& info, IallReductionFn fn,
                          const char* name) {
  ReductionSpec s = ParseAllReduction(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = fn(s.send, s.recv, s.count, s.type, s.op, s.comm, &r);
  return Register(info.Env(), rc, name, s, r);
}

Napi::Value Iallreduce(const Napi::CallbackInfo& info) {
  return IallReduction(info, MPI_Iallreduce, "MPI_Iallreduce");
}
Napi::Value Iscan(const Napi::CallbackInfo& info) {
  return IallReduction(info, MPI_Iscan, "MPI_Iscan");
}
Napi::Value Iexscan(const Napi::CallbackInfo& info) {
  return IallReduction(info, MPI_Iexscan, "MPI_Iexscan");
}

Napi::Value Igather(const Napi::CallbackInfo& info) {
  BlockSpec s = ParseGather(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = MPI_Igather(s.send, s.send_count, s.send_type, s.recv, s.recv_count,
                       s.recv_type, s.root, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Igather", s, r);
}

Napi::Value Iscatter(const Napi::CallbackInfo& info) {
  BlockSpec s = ParseScatter(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = MPI_Iscatter(s.send, s.send_count, s.send_type, s.recv, s.recv_count,
                        s.recv_type, s.root, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Iscatter", s, r);
}

Napi::Value Iallgather(const Napi::CallbackInfo& info) {
  BlockSpec s = ParseAllgather(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = MPI_Iallgather(s.send, s.send_count, s.send_type, s.recv,
                          s.recv_count, s.recv_type, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Iallgather", s, r);
}

Napi::Value Ialltoall(const Napi::CallbackInfo& info) {
  BlockSpec s = ParseAlltoall(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = MPI_Ialltoall(s.send, s.send_count, s.send_type, s.recv,
                         s.recv_count, s.recv_type, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Ialltoall", s, r);
}

Napi::Value Igatherv(const Napi::CallbackInfo& info) {
  VectorSpec s = ParseGatherv(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc =
      MPI_Igatherv(s.send, s.send_count, s.send_type, s.recv, s.recv_counts,
                   s.recv_displs, s.recv_type, s.root, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Igatherv", s, r);
}

Napi::Value Iscatterv(const Napi::CallbackInfo& info) {
  VectorSpec s = ParseScatterv(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = MPI_Iscatterv(s.send, s.send_counts, s.send_displs, s.send_type,
                         s.recv, s.recv_count, s.recv_type, s.root, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Iscatterv", s, r);
}

Napi::Value Iallgatherv(const Napi::CallbackInfo& info) {
  VectorSpec s = ParseAllgatherv(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc =
      MPI_Iallgatherv(s.send, s.send_count, s.send_type, s.recv, s.recv_counts,
                      s.recv_displs, s.recv_type, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Iallgatherv", s, r);
}

Napi::Value Ialltoallv(const Napi::CallbackInfo& info) {
  VectorSpec s = ParseAlltoallv(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc =
      MPI_Ialltoallv(s.send, s.send_counts, s.send_displs, s.send_type, s.recv,
                     s.recv_counts, s.recv_displs, s.recv_type, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Ialltoallv", s, r);
}

Napi::Value Ialltoallw(const Napi::CallbackInfo& info) {
  AlltoallwSpec s = ParseAlltoallw(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = MPI_Ialltoallw(MPI_BOTTOM, s.send_counts, s.send_displs,
                          s.send_types, MPI_BOTTOM, s.recv_counts,
                          s.recv_displs, s.recv_types, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Ialltoallw", s, r);
}

Napi::Value IreduceScatter(const Napi::CallbackInfo& info) {
  ReduceScatterSpec s = ParseReduceScatter(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc =
      MPI_Ireduce_scatter(s.send, s.recv, s.counts, s.type, s.op, s.comm, &r);
  return Register(info.Env(), rc, "MPI_Ireduce_scatter", s, r);
}

Napi::Value IreduceScatterBlock(const Napi::CallbackInfo& info) {
  ReduceScatterSpec s = ParseReduceScatterBlock(info, true);
  MPI_Request r = MPI_REQUEST_NULL;
  int rc = MPI_Ireduce_scatter_block(s.send, s.recv, s.count, s.type, s.op,
                                     s.comm, &r);
  return Register(info.Env(), rc, "MPI_Ireduce_scatter_block", s, r);
}

}  // namespace

void RegisterNonblockingCollectives(Napi::Env env, Napi::Object exports) {
  auto add = [&](const char* name, Napi::Function::Callback fn) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  add("ibcast", Ibcast);
  add("ireduce", Ireduce);
  add("iallreduce", Iallreduce);
  add("iscan", Iscan);
  add("iexscan", Iexscan);
  add("igather", Igather);
  add("iscatter", Iscatter);
  add("iallgather", Iallgather);
  add("ialltoall", Ialltoall);
  add("igatherv", Igatherv);
  add("iscatterv", Iscatterv);
  add("iallgatherv", Iallgatherv);
  add("ialltoallv", Ialltoallv);
  add("ialltoallw", Ialltoallw);
  add("ireduceScatter", IreduceScatter);
  add("ireduceScatterBlock", IreduceScatterBlock);
}

}  // namespace mpiloop
