// One argument spec per collective family, shared by the blocking calls
// (collectives.cc) and the nonblocking ones (nonblocking_collectives.cc):
// each parses and checks the JS arguments before anything reaches MPI, so a
// mismatch is a RangeError/TypeError on the caller. Counts follow from the
// views (in elements of the view's datatype); a null sendbuf means
// MPI_IN_PLACE where MPI allows it. On an intercommunicator the blocks come
// from or go to the remote group (CommEntry::Peers), rooted collectives take
// ROOT / PROC_NULL / a remote rank (RootRole), and there is no in place.
//
// With `keep` set (the nonblocking forms) a spec also collects what must
// outlive the call: the views to pin, copies of the count/displacement
// arrays, derived datatypes and the user op, all held until completion.
#pragma once

#include <memory>
#include <vector>

#include "datatype.h"
#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// What a nonblocking collective keeps alive until it completes.
struct CollectiveHold {
  std::vector<std::vector<int>> ints;  // counts and displacements
  std::vector<MPI_Datatype> types;     // Alltoallw's per-peer type arrays
  std::vector<DerivedType> derived;    // freed at completion
  std::shared_ptr<void> op;            // a user op, null for built-ins
};

struct SpecBase {
  MPI_Comm comm = MPI_COMM_NULL;
  std::vector<napi_value> pins;          // views MPI reads or writes
  std::shared_ptr<CollectiveHold> hold;  // set when kept
};

struct BcastSpec : SpecBase {
  WireBuffer wire;
  int root = 0;
};
// bcast(comm, buf, root)
BcastSpec ParseBcast(const Napi::CallbackInfo& info, bool keep);

// reduce(comm, sendbuf, recvbuf, op, root, pair?) and
// allreduce/scan/exscan(comm, sendbuf, recvbuf, op, pair?). `pair` (a pair
// type index, see PairType) makes the buffers pairs of that type.
struct ReductionSpec : SpecBase {
  const void* send = nullptr;
  void* recv = nullptr;
  int count = 0;
  MPI_Datatype type = MPI_DATATYPE_NULL;
  MPI_Op op = MPI_OP_NULL;
  int root = 0;
};
ReductionSpec ParseReduce(const Napi::CallbackInfo& info, bool keep);
ReductionSpec ParseAllReduction(const Napi::CallbackInfo& info, bool keep);

// gather/scatter/allgather/alltoall: one count and type on each side.
struct BlockSpec : SpecBase {
  const void* send = nullptr;
  int send_count = 0;
  MPI_Datatype send_type = MPI_DATATYPE_NULL;
  void* recv = nullptr;
  int recv_count = 0;
  MPI_Datatype recv_type = MPI_DATATYPE_NULL;
  int root = 0;
};
BlockSpec ParseGather(const Napi::CallbackInfo& info, bool keep);
BlockSpec ParseScatter(const Napi::CallbackInfo& info, bool keep);
BlockSpec ParseAllgather(const Napi::CallbackInfo& info, bool keep);
BlockSpec ParseAlltoall(const Napi::CallbackInfo& info, bool keep);

// gatherv/scatterv/allgatherv/alltoallv: per-rank counts and displacements.
struct VectorSpec : SpecBase {
  const void* send = nullptr;
  int send_count = 0;  // gatherv/allgatherv
  const int* send_counts = nullptr;
  const int* send_displs = nullptr;
  MPI_Datatype send_type = MPI_DATATYPE_NULL;
  void* recv = nullptr;
  int recv_count = 0;  // scatterv
  const int* recv_counts = nullptr;
  const int* recv_displs = nullptr;
  MPI_Datatype recv_type = MPI_DATATYPE_NULL;
  int root = 0;
};
VectorSpec ParseGatherv(const Napi::CallbackInfo& info, bool keep);
VectorSpec ParseScatterv(const Napi::CallbackInfo& info, bool keep);
VectorSpec ParseAllgatherv(const Napi::CallbackInfo& info, bool keep);
VectorSpec ParseAlltoallv(const Napi::CallbackInfo& info, bool keep);

// reduceScatter(comm, sendbuf, recvbuf, counts, op, pair?) and
// reduceScatterBlock(comm, sendbuf, recvbuf, op, pair?).
struct ReduceScatterSpec : SpecBase {
  const void* send = nullptr;
  void* recv = nullptr;
  const int* counts = nullptr;  // reduceScatter
  int count = 0;                // reduceScatterBlock
  MPI_Datatype type = MPI_DATATYPE_NULL;
  MPI_Op op = MPI_OP_NULL;
};
ReduceScatterSpec ParseReduceScatter(const Napi::CallbackInfo& info, bool keep);
ReduceScatterSpec ParseReduceScatterBlock(const Napi::CallbackInfo& info,
                                          bool keep);

// alltoallw(comm, sendbufs[], recvbufs[]): one view per peer, each with its
// own datatype, described to MPI at its absolute address (MPI_BOTTOM).
// The arrays live in `hold`, which this spec always has.
struct AlltoallwSpec : SpecBase {
  const int* send_counts = nullptr;
  const int* send_displs = nullptr;
  const MPI_Datatype* send_types = nullptr;
  const int* recv_counts = nullptr;
  const int* recv_displs = nullptr;
  const MPI_Datatype* recv_types = nullptr;
};
AlltoallwSpec ParseAlltoallw(const Napi::CallbackInfo& info, bool keep);

}  // namespace mpiloop
