// Neighbourhood collectives on a communicator with a topology: blocks go to
// the out-neighbours and come from the in-neighbours, in the order
// MPI_Cart_shift / MPI_Graph_neighbors / MPI_Dist_graph_neighbors give them
// (on a Cartesian grid: for each dimension, the - then the + neighbour).
// One spec per operation; each has a blocking and a nonblocking form (the
// i-form returns a request id and pins both buffers until completion).
// Where the MPI crosses the two blocks of a periodic Cartesian dimension of
// size 1 or 2 (mpi_quirks.h), the alltoall forms pass it a receive layout
// with those blocks swapped; the allgather forms need nothing: both blocks of
// such a dimension come from one rank and hold the same data.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "blocking.h"
#include "collective_checks.h"
#include "comm_table.h"
#include "datatype.h"
#include "errors.h"
#include "modules.h"
#include "mpi_quirks.h"
#include "requests.h"
#include "topology.h"

namespace mpiloop {
namespace {

// Whether MPI runs the nonblocking form: asked for, or the blocking form
// waiting on it (yielding waits, blocking.h). The MPI's faults differ
// between the two forms (mpi_quirks.h).
bool PostsNonblocking(bool nonblocking) {
  return nonblocking || g_yielding_waits;
}

// Runs the blocking call, or posts the nonblocking one as a request.
// `keep` holds arrays MPI reads until a nonblocking call completes.
template <typename Blocking, typename Nonblocking>
Napi::Value Run(Napi::Env env, const CommEntry& comm, bool nonblocking,
                const char* name, const BufferView& send,
                const BufferView& recv, Blocking blocking, Nonblocking post,
                std::shared_ptr<void> keep = nullptr) {
  if (!nonblocking) {
    RunWaiting(env, name, blocking, StartThenTest(post));
    return env.Undefined();
  }
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(env, post(&request), name);
  return Napi::Number::New(
      env, RegisterCollective(env, comm.comm, request, {send.value, recv.value},
                              std::move(keep)));
}

// Counts and displacements handed to MPI in place of the caller's: the
// receive layout with the blocks the MPI crosses swapped (mpi_quirks.h).
struct Layout {
  std::vector<int> send_counts, send_displs, recv_counts, recv_displs;
};

// (comm, sendbuf, recvbuf): sendbuf to every out-neighbour, one block of
// recvbuf (sendbuf's length) from each in-neighbour.
Napi::Value Allgather(const Napi::CallbackInfo& info, bool nonblocking) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  Degrees d = NeighborDegrees(env, comm);
  BufferView send = GetView(env, info[1], "sendbuf");
  BufferView recv = GetView(env, info[2], "recvbuf");
  CheckSameType(env, send, "sendbuf", recv, "recvbuf");
  int count = IntCount(env, send.count, "sendbuf");
  CheckCapacity(env, recv, "recvbuf", send.count * d.in);
  const char* name =
      nonblocking ? "MPI_Ineighbor_allgather" : "MPI_Neighbor_allgather";
  return Run(
      env, comm, nonblocking, name, send, recv,
      [&] {
        return MPI_Neighbor_allgather(send.data, count, send.type, recv.data,
                                      count, recv.type, comm.comm);
      },
      [&](MPI_Request* r) {
        return MPI_Ineighbor_allgather(send.data, count, send.type, recv.data,
                                       count, recv.type, comm.comm, r);
      });
}

// (comm, sendbuf, recvbuf): block i of sendbuf to out-neighbour i, block j of
// recvbuf from in-neighbour j; blocks of equal length.
Napi::Value Alltoall(const Napi::CallbackInfo& info, bool nonblocking) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  Degrees d = NeighborDegrees(env, comm);
  BufferView send = GetView(env, info[1], "sendbuf");
  BufferView recv = GetView(env, info[2], "recvbuf");
  CheckSameType(env, send, "sendbuf", recv, "recvbuf");
  MPI_Count count = 0;
  if (d.out > 0) {
    if (send.count % d.out != 0) {
      ThrowRangeError(env, "sendbuf length (" + Str(send.count) +
                               ") must be a multiple of the number of "
                               "out-neighbours (" +
                               std::to_string(d.out) + ")");
    }
    count = send.count / d.out;
  } else if (d.in > 0) {
    count = recv.count / d.in;
  }
  int block = IntCount(env, count, "the per-neighbour block");
  CheckCapacity(env, recv, "recvbuf", count * d.in);
  const char* name =
      nonblocking ? "MPI_Ineighbor_alltoall" : "MPI_Neighbor_alltoall";
  std::vector<int> crossed =
      CrossedNeighborDims(comm, PostsNonblocking(nonblocking));
  if (!crossed.empty()) {
    // As the v form, whose receive layout can name each block's place (its
    // int displacements bound the whole exchange, not only a block).
    IntCount(env, count * std::max(d.in, d.out),
             "the exchange on a grid whose MPI needs its blocks reordered");
    auto l = std::make_shared<Layout>();
    for (int i = 0; i < d.out; i++) l->send_displs.push_back(i * block);
    for (int j = 0; j < d.in; j++) l->recv_displs.push_back(j * block);
    l->send_counts.assign(d.out, block);
    l->recv_counts.assign(d.in, block);
    SwapCrossedBlocks(l->recv_displs, crossed);
    const Layout& v = *l;
    return Run(
        env, comm, nonblocking, name, send, recv,
        [&] {
          return MPI_Neighbor_alltoallv(
              send.data, v.send_counts.data(), v.send_displs.data(), send.type,
              recv.data, v.recv_counts.data(), v.recv_displs.data(), recv.type,
              comm.comm);
        },
        [&](MPI_Request* r) {
          return MPI_Ineighbor_alltoallv(
              send.data, v.send_counts.data(), v.send_displs.data(), send.type,
              recv.data, v.recv_counts.data(), v.recv_displs.data(), recv.type,
              comm.comm, r);
        },
        l);
  }
  return Run(
      env, comm, nonblocking, name, send, recv,
      [&] {
        return MPI_Neighbor_alltoall(send.data, block, send.type, recv.data,
                                     block, recv.type, comm.comm);
      },
      [&](MPI_Request* r) {
        return MPI_Ineighbor_alltoall(send.data, block, send.type, recv.data,
                                      block, recv.type, comm.comm, r);
      });
}

// (comm, sendbuf, recvbuf, counts, displs): counts/displs per in-neighbour.
Napi::Value Allgatherv(const Napi::CallbackInfo& info, bool nonblocking) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  Degrees d = NeighborDegrees(env, comm);
  BufferView send = GetView(env, info[1], "sendbuf");
  BufferView recv = GetView(env, info[2], "recvbuf");
  IntArray counts = ArgIntArray(env, info[3], "counts", false);
  IntArray displs = ArgIntArray(env, info[4], "displs", false);
  CheckSameType(env, send, "sendbuf", recv, "recvbuf");
  CheckLayout(env, counts, "counts", displs, "displs", d.in, recv.count,
              "recvbuf");
  int count = IntCount(env, send.count, "sendbuf");
  const char* name =
      nonblocking ? "MPI_Ineighbor_allgatherv" : "MPI_Neighbor_allgatherv";
  return Run(
      env, comm, nonblocking, name, send, recv,
      [&] {
        return MPI_Neighbor_allgatherv(send.data, count, send.type, recv.data,
                                       counts.data, displs.data, recv.type,
                                       comm.comm);
      },
      [&](MPI_Request* r) {
        return MPI_Ineighbor_allgatherv(send.data, count, send.type, recv.data,
                                        counts.data, displs.data, recv.type,
                                        comm.comm, r);
      });
}

// (comm, sendbuf, scounts, sdispls, recvbuf, rcounts, rdispls).
Napi::Value Alltoallv(const Napi::CallbackInfo& info, bool nonblocking) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  Degrees d = NeighborDegrees(env, comm);
  BufferView send = GetView(env, info[1], "sendbuf");
  IntArray scounts = ArgIntArray(env, info[2], "scounts", false);
  IntArray sdispls = ArgIntArray(env, info[3], "sdispls", false);
  BufferView recv = GetView(env, info[4], "recvbuf");
  IntArray rcounts = ArgIntArray(env, info[5], "rcounts", false);
  IntArray rdispls = ArgIntArray(env, info[6], "rdispls", false);
  CheckSameType(env, send, "sendbuf", recv, "recvbuf");
  CheckLayout(env, scounts, "scounts", sdispls, "sdispls", d.out, send.count,
              "sendbuf");
  CheckLayout(env, rcounts, "rcounts", rdispls, "rdispls", d.in, recv.count,
              "recvbuf");
  std::shared_ptr<void> keep;
  const char* name =
      nonblocking ? "MPI_Ineighbor_alltoallv" : "MPI_Neighbor_alltoallv";
  std::vector<int> crossed =
      CrossedNeighborDims(comm, PostsNonblocking(nonblocking));
  if (!crossed.empty()) {
    auto l = std::make_shared<Layout>();
    l->recv_counts.assign(rcounts.data, rcounts.data + rcounts.length);
    l->recv_displs.assign(rdispls.data, rdispls.data + rdispls.length);
    SwapCrossedBlocks(l->recv_counts, crossed);
    SwapCrossedBlocks(l->recv_displs, crossed);
    if (nonblocking) {  // the caller's send arrays may change before the end
      l->send_counts.assign(scounts.data, scounts.data + scounts.length);
      l->send_displs.assign(sdispls.data, sdispls.data + sdispls.length);
      scounts.data = l->send_counts.data();
      sdispls.data = l->send_displs.data();
    }
    rcounts.data = l->recv_counts.data();
    rdispls.data = l->recv_displs.data();
    keep = l;
  }
  return Run(
      env, comm, nonblocking, name, send, recv,
      [&] {
        return MPI_Neighbor_alltoallv(send.data, scounts.data, sdispls.data,
                                      send.type, recv.data, rcounts.data,
                                      rdispls.data, recv.type, comm.comm);
      },
      [&](MPI_Request* r) {
        return MPI_Ineighbor_alltoallv(send.data, scounts.data, sdispls.data,
                                       send.type, recv.data, rcounts.data,
                                       rdispls.data, recv.type, comm.comm, r);
      },
      keep);
}

// The in and out degrees: { indegree, outdegree }.
Napi::Value NeighborCounts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Degrees d = NeighborDegrees(env, GetComm(env, info[0]));
  Napi::Object out = Napi::Object::New(env);
  out.Set("indegree", Napi::Number::New(env, d.in));
  out.Set("outdegree", Napi::Number::New(env, d.out));
  return out;
}

}  // namespace

void RegisterNeighbor(Napi::Env env, Napi::Object exports) {
  auto set = [&](const char* name,
                 Napi::Value (*fn)(const Napi::CallbackInfo&, bool),
                 bool nonblocking) {
    exports.Set(name, Napi::Function::New(
                          env,
                          [fn, nonblocking](const Napi::CallbackInfo& info) {
                            return fn(info, nonblocking);
                          },
                          name));
  };
  set("neighborAllgather", Allgather, false);
  set("ineighborAllgather", Allgather, true);
  set("neighborAlltoall", Alltoall, false);
  set("ineighborAlltoall", Alltoall, true);
  set("neighborAllgatherv", Allgatherv, false);
  set("ineighborAllgatherv", Allgatherv, true);
  set("neighborAlltoallv", Alltoallv, false);
  set("ineighborAlltoallv", Alltoallv, true);
  exports.Set("neighborCounts",
              Napi::Function::New(env, NeighborCounts, "neighborCounts"));
}

}  // namespace mpiloop
