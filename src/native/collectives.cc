// Blocking collectives. Counts follow from the views (in elements of the
// view's datatype); shapes are checked before MPI so a mismatch is a
// RangeError/TypeError rather than an MPI error or memory corruption. A null
// sendbuf means MPI_IN_PLACE. On an intercommunicator the blocks come from or
// go to the remote group (CommEntry::Peers), rooted collectives take ROOT /
// PROC_NULL / a remote rank (RootRole), and there is no in place.
#include <climits>
#include <string>

#include "args.h"
#include "blocking.h"
#include "collective_checks.h"
#include "comm_table.h"
#include "datatype.h"
#include "errors.h"
#include "modules.h"
#include "ops.h"

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
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  int root = ArgInt(info, 2, "root");
  RootRole(env, comm, root);
  WireBuffer wire = MakeWire(env, view);  // derived type beyond INT_MAX
  RunBlocking(env, "MPI_Bcast", [&] {
    return MPI_Bcast(wire.buf, wire.count, wire.type, root, comm.comm);
  });
  return env.Undefined();
}

// Shared by reduce/allreduce/scan/exscan: send and recv must agree in element
// type and count; without sendbuf the data is taken from recvbuf in place.
struct Reduction {
  BufferView send, recv;
  bool has_send = false, has_recv = false;
  int count = 0;
  MPI_Datatype type = MPI_DATATYPE_NULL;
};

Reduction ResolveReduction(Napi::Env env, Reduction r) {
  if (r.has_send && r.has_recv) {
    CheckSameType(env, r.send, "sendbuf", r.recv, "recvbuf");
    if (r.send.count != r.recv.count) {
      ThrowRangeError(env, "recvbuf must have as many elements as sendbuf (" +
                               Str(r.send.count) + "), got " +
                               Str(r.recv.count));
    }
  }
  const BufferView& source = r.has_send ? r.send : r.recv;
  r.count = IntCount(env, source.count, r.has_send ? "sendbuf" : "recvbuf");
  r.type = source.type;
  return r;
}

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  Reduction r;
  r.has_send = GetViewOrNull(env, info[1], "sendbuf", &r.send);
  r.has_recv = GetViewOrNull(env, info[2], "recvbuf", &r.recv);
  MPI_Op op = GetOp(info, 3);
  int root = ArgInt(info, 4, "root");
  Role role = RootRole(env, comm, root);
  if (role == Role::kNone) {
    // A PROC_NULL rank's buffers are ignored; MPI_INT keeps any op valid.
    RunBlocking(env, "MPI_Reduce", [&] {
      return MPI_Reduce(nullptr, nullptr, 0, MPI_INT, op, root, comm.comm);
    });
    return env.Undefined();
  }
  if (role == Role::kRoot) {
    if (!r.has_recv)
      ThrowTypeError(env, "recvbuf must be an ArrayBufferView at the root");
    if (comm.inter) r.has_send = false;  // the data comes from the remote group
  } else {
    if (!r.has_send) {
      ThrowTypeError(env,
                     "sendbuf must be an ArrayBufferView on non-root ranks "
                     "(null = in place is only valid at the root)");
    }
    r.has_recv = false;  // not significant off the root
  }
  r = ResolveReduction(env, r);
  const void* send = comm.inter && role == Role::kRoot
                         ? nullptr
                         : SendPointer(r.has_send, r.send);
  void* recv = r.has_recv ? r.recv.data : nullptr;
  RunBlocking(env, "MPI_Reduce", [&] {
    return MPI_Reduce(send, recv, r.count, r.type, op, root, comm.comm);
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
  CommEntry comm = GetComm(env, info[0]);
  Reduction r;
  r.has_send = GetViewOrNull(env, info[1], "sendbuf", &r.send);
  r.recv = GetView(env, info[2], "recvbuf");
  r.has_recv = true;
  MPI_Op op = GetOp(info, 3);
  if (!r.has_send) NoInPlaceOnInter(env, comm);
  r = ResolveReduction(env, r);
  const void* send = SendPointer(r.has_send, r.send);
  RunBlocking(env, name, [&] {
    return fn(send, r.recv.data, r.count, r.type, op, comm.comm);
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
  CommEntry comm = GetComm(env, info[0]);
  BufferView send, recv;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  bool has_recv = GetViewOrNull(env, info[2], "recvbuf", &recv);
  int root = ArgInt(info, 3, "root");
  Role role = RootRole(env, comm, root);
  if (role == Role::kNone) {
    RunBlocking(env, "MPI_Gather", [&] {
      return MPI_Gather(nullptr, 0, MPI_INT, nullptr, 0, MPI_INT, root,
                        comm.comm);
    });
    return env.Undefined();
  }
  bool is_root = role == Role::kRoot;
  int count = 0;
  MPI_Datatype type = MPI_DATATYPE_NULL;
  if (is_root) {
    if (!has_recv)
      ThrowTypeError(env, "recvbuf must be an ArrayBufferView at the root");
    if (comm.inter) has_send = false;  // the data comes from the remote group
    if (has_send) {
      CheckSameType(env, send, "sendbuf", recv, "recvbuf");
      count = IntCount(env, send.count, "sendbuf");
      CheckCapacity(env, recv, "recvbuf", send.count * comm.size);
    } else {
      // In place: the root's block already sits at recvbuf[root * count].
      // On an intercommunicator: one block per remote rank.
      CheckMultiple(env, recv, "recvbuf", comm);
      count = IntCount(env, recv.count / comm.Peers(), "the per-rank block");
    }
    type = recv.type;
  } else {
    if (!has_send) ThrowTypeError(env, "sendbuf must be an ArrayBufferView");
    count = IntCount(env, send.count, "sendbuf");
    type = send.type;
    has_recv = false;
  }
  const void* sendp =
      comm.inter && is_root ? nullptr : SendPointer(has_send, send);
  void* recvp = has_recv ? recv.data : nullptr;
  RunBlocking(env, "MPI_Gather", [&] {
    return MPI_Gather(sendp, count, type, recvp, count, type, root, comm.comm);
  });
  return env.Undefined();
}

Napi::Value Scatter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  int root = ArgInt(info, 3, "root");
  Role role = RootRole(env, comm, root);
  if (role == Role::kNone) {
    RunBlocking(env, "MPI_Scatter", [&] {
      return MPI_Scatter(nullptr, 0, MPI_INT, nullptr, 0, MPI_INT, root,
                         comm.comm);
    });
    return env.Undefined();
  }
  int count = IntCount(env, recv.count, "recvbuf");
  MPI_Datatype type = recv.type;
  void* recvp = recv.data;
  if (role == Role::kRoot) {
    if (!has_send)
      ThrowTypeError(env, "sendbuf must be an ArrayBufferView at the root");
    if (comm.inter) {
      // The root only sends: one block of sendbuf per remote rank.
      CheckMultiple(env, send, "sendbuf", comm);
      count = IntCount(env, send.count / comm.Peers(), "the per-rank block");
      type = send.type;
      recvp = nullptr;
    } else {
      CheckSameType(env, recv, "recvbuf", send, "sendbuf");
      CheckCapacity(env, send, "sendbuf", recv.count * comm.size);
    }
  } else {
    has_send = false;  // not significant off the root
  }
  const void* sendp = has_send ? send.data : nullptr;
  RunBlocking(env, "MPI_Scatter", [&] {
    return MPI_Scatter(sendp, count, type, recvp, count, type, root, comm.comm);
  });
  return env.Undefined();
}

Napi::Value Allgather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  int count = 0;
  if (has_send) {
    CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    count = IntCount(env, send.count, "sendbuf");
    CheckCapacity(env, recv, "recvbuf", send.count * comm.Peers());
  } else {
    NoInPlaceOnInter(env, comm);
    CheckMultiple(env, recv, "recvbuf", comm);
    count = IntCount(env, recv.count / comm.size, "the per-rank block");
  }
  const void* sendp = SendPointer(has_send, send);
  RunBlocking(env, "MPI_Allgather", [&] {
    return MPI_Allgather(sendp, count, recv.type, recv.data, count, recv.type,
                         comm.comm);
  });
  return env.Undefined();
}

Napi::Value Alltoall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  const BufferView& shape = has_send ? send : recv;
  const char* shape_name = has_send ? "sendbuf" : "recvbuf";
  if (!has_send) NoInPlaceOnInter(env, comm);
  CheckMultiple(env, shape, shape_name, comm);
  int count = IntCount(env, shape.count / comm.Peers(), "the per-rank block");
  if (has_send) {
    CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    CheckCapacity(env, recv, "recvbuf",
                  static_cast<MPI_Count>(count) * comm.Peers());
  }
  const void* sendp = SendPointer(has_send, send);
  RunBlocking(env, "MPI_Alltoall", [&] {
    return MPI_Alltoall(sendp, count, recv.type, recv.data, count, recv.type,
                        comm.comm);
  });
  return env.Undefined();
}

Napi::Value Gatherv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send, recv;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  bool has_recv = GetViewOrNull(env, info[2], "recvbuf", &recv);
  bool is_root = false;
  int root = ArgInt(info, 5, "root");
  Role role = RootRole(env, comm, root);
  if (role == Role::kNone) {
    RunBlocking(env, "MPI_Gatherv", [&] {
      return MPI_Gatherv(nullptr, 0, MPI_INT, nullptr, nullptr, nullptr,
                         MPI_INT, root, comm.comm);
    });
    return env.Undefined();
  }
  is_root = role == Role::kRoot;
  IntArray counts = ArgIntArray(env, info[3], "counts", !is_root);
  IntArray displs = ArgIntArray(env, info[4], "displs", !is_root);
  int count = 0;
  MPI_Datatype type = MPI_DATATYPE_NULL;
  if (is_root) {
    if (!has_recv)
      ThrowTypeError(env, "recvbuf must be an ArrayBufferView at the root");
    CheckLayout(env, counts, "counts", displs, "displs", comm.Peers(),
                recv.count, "recvbuf");
    type = recv.type;
    if (comm.inter) has_send = false;  // the data comes from the remote group
    if (has_send) {
      CheckSameType(env, recv, "recvbuf", send, "sendbuf");
      if (send.count != counts.data[comm.rank]) {
        ThrowRangeError(env, "sendbuf length (" + Str(send.count) +
                                 ") must equal counts[root] (" +
                                 std::to_string(counts.data[comm.rank]) + ")");
      }
    }
    count = comm.inter ? 0 : counts.data[comm.rank];
  } else {
    if (!has_send) ThrowTypeError(env, "sendbuf must be an ArrayBufferView");
    count = IntCount(env, send.count, "sendbuf");
    type = send.type;
    has_recv = false;
  }
  const void* sendp =
      comm.inter && is_root ? nullptr : SendPointer(has_send, send);
  void* recvp = has_recv ? recv.data : nullptr;
  const int* cp = is_root ? counts.data : nullptr;
  const int* dp = is_root ? displs.data : nullptr;
  RunBlocking(env, "MPI_Gatherv", [&] {
    return MPI_Gatherv(sendp, count, type, recvp, cp, dp, type, root,
                       comm.comm);
  });
  return env.Undefined();
}

Napi::Value Scatterv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[4], "recvbuf");
  int root = ArgInt(info, 5, "root");
  Role role = RootRole(env, comm, root);
  if (role == Role::kNone) {
    RunBlocking(env, "MPI_Scatterv", [&] {
      return MPI_Scatterv(nullptr, nullptr, nullptr, MPI_INT, nullptr, 0,
                          MPI_INT, root, comm.comm);
    });
    return env.Undefined();
  }
  bool is_root = role == Role::kRoot;
  IntArray counts = ArgIntArray(env, info[2], "counts", !is_root);
  IntArray displs = ArgIntArray(env, info[3], "displs", !is_root);
  int count = IntCount(env, recv.count, "recvbuf");
  if (is_root) {
    if (!has_send)
      ThrowTypeError(env, "sendbuf must be an ArrayBufferView at the root");
    if (!comm.inter) CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    CheckLayout(env, counts, "counts", displs, "displs", comm.Peers(),
                send.count, "sendbuf");
    if (!comm.inter && recv.count != counts.data[comm.rank]) {
      ThrowRangeError(env, "recvbuf length (" + Str(recv.count) +
                               ") must equal counts[root] (" +
                               std::to_string(counts.data[comm.rank]) + ")");
    }
  } else {
    has_send = false;
  }
  const void* sendp = has_send ? send.data : nullptr;
  const int* cp = is_root ? counts.data : nullptr;
  const int* dp = is_root ? displs.data : nullptr;
  // An intercommunicator's root only sends, in sendbuf's type.
  MPI_Datatype type = comm.inter && is_root ? send.type : recv.type;
  void* recvp = comm.inter && is_root ? nullptr : recv.data;
  RunBlocking(env, "MPI_Scatterv", [&] {
    return MPI_Scatterv(sendp, cp, dp, type, recvp, count, type, root,
                        comm.comm);
  });
  return env.Undefined();
}

Napi::Value Allgatherv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  IntArray counts = ArgIntArray(env, info[3], "counts", false);
  IntArray displs = ArgIntArray(env, info[4], "displs", false);
  CheckLayout(env, counts, "counts", displs, "displs", comm.Peers(), recv.count,
              "recvbuf");
  if (!has_send) NoInPlaceOnInter(env, comm);
  int count =
      has_send ? IntCount(env, send.count, "sendbuf") : counts.data[comm.rank];
  if (has_send) CheckSameType(env, recv, "recvbuf", send, "sendbuf");
  if (has_send && !comm.inter && send.count != counts.data[comm.rank]) {
    ThrowRangeError(env, "sendbuf length (" + Str(send.count) +
                             ") must equal counts[rank] (" +
                             std::to_string(counts.data[comm.rank]) + ")");
  }
  const void* sendp = SendPointer(has_send, send);
  RunBlocking(env, "MPI_Allgatherv", [&] {
    return MPI_Allgatherv(sendp, count, recv.type, recv.data, counts.data,
                          displs.data, recv.type, comm.comm);
  });
  return env.Undefined();
}

Napi::Value Alltoallv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  IntArray scounts = ArgIntArray(env, info[2], "scounts", !has_send);
  IntArray sdispls = ArgIntArray(env, info[3], "sdispls", !has_send);
  BufferView recv = GetView(env, info[4], "recvbuf");
  IntArray rcounts = ArgIntArray(env, info[5], "rcounts", false);
  IntArray rdispls = ArgIntArray(env, info[6], "rdispls", false);
  CheckLayout(env, rcounts, "rcounts", rdispls, "rdispls", comm.Peers(),
              recv.count, "recvbuf");
  if (!has_send) NoInPlaceOnInter(env, comm);
  if (has_send) {
    CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    CheckLayout(env, scounts, "scounts", sdispls, "sdispls", comm.Peers(),
                send.count, "sendbuf");
  }
  const void* sendp = SendPointer(has_send, send);
  // In place, MPI ignores the send layout.
  const int* scp = has_send ? scounts.data : rcounts.data;
  const int* sdp = has_send ? sdispls.data : rdispls.data;
  RunBlocking(env, "MPI_Alltoallv", [&] {
    return MPI_Alltoallv(sendp, scp, sdp, recv.type, recv.data, rcounts.data,
                         rdispls.data, recv.type, comm.comm);
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
}

}  // namespace mpiloop
