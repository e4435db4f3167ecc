#include "collective_specs.h"

#include <climits>
#include <string>

#include "args.h"
#include "collective_checks.h"
#include "comm_table.h"
#include "errors.h"
#include "ops.h"

namespace mpiloop {
namespace {

// A null receive buffer at a rooted collective's root is in place, except
// on an intercommunicator, whose root only sends.
void* InPlaceUnlessInter(const CommEntry& comm) {
  return comm.inter ? nullptr : MPI_IN_PLACE;
}

// A PROC_NULL rank in the root's group of an intercommunicator: nothing
// moves, and MPI gets empty but valid arguments.
template <typename Spec>
Spec NoBlocks(Spec& spec) {
  spec.send_type = spec.recv_type = MPI_INT;
  return spec;
}

// Starts a kept spec: its hold exists from here on.
void Keep(SpecBase& spec, bool keep) {
  if (keep) spec.hold = std::make_shared<CollectiveHold>();
}

void Pin(SpecBase& spec, bool present, const BufferView& view) {
  if (spec.hold && present) spec.pins.push_back(view.value);
}

// Kept specs point MPI at copies, which live as long as the request.
const int* KeepInts(SpecBase& spec, const IntArray& array) {
  if (!array.present) return nullptr;
  if (!spec.hold) return array.data;
  spec.hold->ints.emplace_back(array.data, array.data + array.length);
  return spec.hold->ints.back().data();
}

MPI_Op KeepOp(SpecBase& spec, const Napi::CallbackInfo& info, size_t index) {
  MPI_Op op = GetOp(info, index);
  if (spec.hold) spec.hold->op = HoldUserOp(op);
  return op;
}

// A view read as pairs of `pair` (MAXLOC/MINLOC): its bytes, counted in
// pairs of that type.
void AsPairs(Napi::Env env, BufferView* view, int pair, const char* name) {
  if (pair < 0) return;
  PairInfo info = GetPairInfo(pair);
  if (view->bytes % info.extent != 0) {
    ThrowRangeError(
        env, std::string(name) + " holds " + std::to_string(view->bytes) +
                 " bytes, not a whole number of " + info.name + " pairs (" +
                 std::to_string(info.extent) + " bytes each)");
  }
  view->count = static_cast<MPI_Count>(view->bytes / info.extent);
  view->type = info.type;
  view->type_name = info.name;
}

// Send and recv must agree in element type and count; without sendbuf the
// data is taken from recvbuf in place.
void ResolveReduction(Napi::Env env, ReductionSpec& spec, bool has_send,
                      const BufferView& send, bool has_recv,
                      const BufferView& recv) {
  if (has_send && has_recv) {
    CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    if (send.count != recv.count) {
      ThrowRangeError(env, "recvbuf must have as many elements as sendbuf (" +
                               Str(send.count) + "), got " + Str(recv.count));
    }
  }
  const BufferView& source = has_send ? send : recv;
  spec.count = IntCount(env, source.count, has_send ? "sendbuf" : "recvbuf");
  spec.type = source.type;
  spec.send = SendPointer(has_send, send);
  spec.recv = has_recv ? recv.data : nullptr;
  Pin(spec, has_send, send);
  Pin(spec, has_recv, recv);
}

}  // namespace

BcastSpec ParseBcast(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  BcastSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView view = GetView(env, info[1], "buf");
  spec.root = ArgInt(info, 2, "root");
  RootRole(env, comm, spec.root);
  spec.wire = MakeWire(env, view);  // derived type beyond INT_MAX
  Pin(spec, true, view);
  return spec;
}

ReductionSpec ParseReduce(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  ReductionSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send, recv;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  bool has_recv = GetViewOrNull(env, info[2], "recvbuf", &recv);
  spec.op = KeepOp(spec, info, 3);
  spec.root = ArgInt(info, 4, "root");
  Role role = RootRole(env, comm, spec.root);
  int pair = ArgPairType(info, 5);
  if (role == Role::kNone) {
    // A PROC_NULL rank's buffers are ignored, but Open MPI's MPI_Ireduce
    // returns at once for a zero count, without taking its turn in the
    // communicator's sequence of nonblocking collectives (later ones then
    // never match): keep the count of the buffer given (else 1), and a type
    // that fits the op (MPI checks it).
    BufferView* given = has_send ? &send : has_recv ? &recv : nullptr;
    if (given != nullptr) AsPairs(env, given, pair, "sendbuf");
    spec.count = given != nullptr ? IntCount(env, given->count, "sendbuf") : 1;
    spec.type = pair >= 0 ? GetPairInfo(pair).type : MPI_INT;
    return spec;
  }
  if (role == Role::kRoot) {
    if (!has_recv)
      ThrowTypeError(env, "recvbuf must be an ArrayBufferView at the root");
    if (comm.inter) has_send = false;  // the data comes from the remote group
  } else {
    if (!has_send) {
      ThrowTypeError(env,
                     "sendbuf must be an ArrayBufferView on non-root ranks "
                     "(null = in place is only valid at the root)");
    }
    has_recv = false;  // not significant off the root
  }
  if (has_send) AsPairs(env, &send, pair, "sendbuf");
  if (has_recv) AsPairs(env, &recv, pair, "recvbuf");
  ResolveReduction(env, spec, has_send, send, has_recv, recv);
  if (comm.inter && role == Role::kRoot) {
    // Not significant at the root, but MPICH 4.0 refuses a null sendbuf
    // there: a valid address that is never read.
    static double unused;
    spec.send = &unused;
  }
  return spec;
}

ReductionSpec ParseAllReduction(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  ReductionSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  if (!has_send) NoInPlaceOnInter(env, comm);
  spec.op = KeepOp(spec, info, 3);
  int pair = ArgPairType(info, 4);
  if (has_send) AsPairs(env, &send, pair, "sendbuf");
  AsPairs(env, &recv, pair, "recvbuf");
  ResolveReduction(env, spec, has_send, send, true, recv);
  return spec;
}

BlockSpec ParseGather(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  BlockSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send, recv;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  bool has_recv = GetViewOrNull(env, info[2], "recvbuf", &recv);
  spec.root = ArgInt(info, 3, "root");
  Role role = RootRole(env, comm, spec.root);
  if (role == Role::kNone) return NoBlocks(spec);
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
      count = BlockPerPeer(env, recv, "recvbuf", comm);
    }
    type = recv.type;
  } else {
    if (!has_send) ThrowTypeError(env, "sendbuf must be an ArrayBufferView");
    count = IntCount(env, send.count, "sendbuf");
    type = send.type;
    has_recv = false;
  }
  spec.send = comm.inter && is_root ? nullptr : SendPointer(has_send, send);
  spec.recv = has_recv ? recv.data : nullptr;
  spec.send_count = spec.recv_count = count;
  spec.send_type = spec.recv_type = type;
  Pin(spec, has_send, send);
  Pin(spec, has_recv, recv);
  return spec;
}

BlockSpec ParseScatter(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  BlockSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send, recv;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  bool has_recv = GetViewOrNull(env, info[2], "recvbuf", &recv);
  spec.root = ArgInt(info, 3, "root");
  Role role = RootRole(env, comm, spec.root);
  if (role == Role::kNone) return NoBlocks(spec);
  bool is_root = role == Role::kRoot;
  if (is_root) {
    if (!has_send)
      ThrowTypeError(env, "sendbuf must be an ArrayBufferView at the root");
    if (comm.inter) has_recv = false;  // the root only sends
    if (has_recv) {
      CheckSameType(env, recv, "recvbuf", send, "sendbuf");
      spec.recv_count = IntCount(env, recv.count, "recvbuf");
      CheckCapacity(env, send, "sendbuf", recv.count * comm.size);
    } else {
      // In place: the root's own block stays where it is in sendbuf. On an
      // intercommunicator: one block of sendbuf per remote rank.
      spec.recv_count = BlockPerPeer(env, send, "sendbuf", comm);
    }
    spec.recv_type = send.type;
  } else {
    if (!has_recv) ThrowTypeError(env, "recvbuf must be an ArrayBufferView");
    spec.recv_count = IntCount(env, recv.count, "recvbuf");
    spec.recv_type = recv.type;
    has_send = false;  // not significant off the root
  }
  spec.send = has_send ? send.data : nullptr;
  spec.recv = has_recv ? recv.data : InPlaceUnlessInter(comm);
  spec.send_count = spec.recv_count;
  spec.send_type = spec.recv_type;
  Pin(spec, has_send, send);
  Pin(spec, has_recv, recv);
  return spec;
}

BlockSpec ParseAllgather(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  BlockSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
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
    count = BlockPerPeer(env, recv, "recvbuf", comm);
  }
  spec.send = SendPointer(has_send, send);
  spec.recv = recv.data;
  spec.send_count = spec.recv_count = count;
  spec.send_type = spec.recv_type = recv.type;
  Pin(spec, has_send, send);
  Pin(spec, true, recv);
  return spec;
}

BlockSpec ParseAlltoall(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  BlockSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  const BufferView& shape = has_send ? send : recv;
  const char* shape_name = has_send ? "sendbuf" : "recvbuf";
  if (!has_send) NoInPlaceOnInter(env, comm);
  int count = BlockPerPeer(env, shape, shape_name, comm);
  if (has_send) {
    CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    CheckCapacity(env, recv, "recvbuf",
                  static_cast<MPI_Count>(count) * comm.Peers());
  }
  spec.send = SendPointer(has_send, send);
  spec.recv = recv.data;
  spec.send_count = spec.recv_count = count;
  spec.send_type = spec.recv_type = recv.type;
  Pin(spec, has_send, send);
  Pin(spec, true, recv);
  return spec;
}

VectorSpec ParseGatherv(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  VectorSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send, recv;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  bool has_recv = GetViewOrNull(env, info[2], "recvbuf", &recv);
  spec.root = ArgInt(info, 5, "root");
  Role role = RootRole(env, comm, spec.root);
  if (role == Role::kNone) return NoBlocks(spec);
  bool is_root = role == Role::kRoot;
  IntArray counts = ArgIntArray(env, info[3], "counts", !is_root);
  IntArray displs = ArgIntArray(env, info[4], "displs", !is_root);
  if (is_root) {
    if (!has_recv)
      ThrowTypeError(env, "recvbuf must be an ArrayBufferView at the root");
    CheckLayout(env, counts, "counts", displs, "displs", comm.Peers(),
                recv.count, "recvbuf");
    spec.send_type = recv.type;
    if (comm.inter) has_send = false;  // the data comes from the remote group
    if (has_send) {
      CheckSameType(env, recv, "recvbuf", send, "sendbuf");
      if (send.count != counts.data[comm.rank]) {
        ThrowRangeError(env, "sendbuf length (" + Str(send.count) +
                                 ") must equal counts[root] (" +
                                 std::to_string(counts.data[comm.rank]) + ")");
      }
    }
    spec.send_count = comm.inter ? 0 : counts.data[comm.rank];
    spec.recv_counts = KeepInts(spec, counts);
    spec.recv_displs = KeepInts(spec, displs);
  } else {
    if (!has_send) ThrowTypeError(env, "sendbuf must be an ArrayBufferView");
    spec.send_count = IntCount(env, send.count, "sendbuf");
    spec.send_type = send.type;
    has_recv = false;
  }
  spec.recv_type = spec.send_type;
  spec.send = comm.inter && is_root ? nullptr : SendPointer(has_send, send);
  spec.recv = has_recv ? recv.data : nullptr;
  Pin(spec, has_send, send);
  Pin(spec, has_recv, recv);
  return spec;
}

VectorSpec ParseScatterv(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  VectorSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send, recv;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  bool has_recv = GetViewOrNull(env, info[4], "recvbuf", &recv);
  spec.root = ArgInt(info, 5, "root");
  Role role = RootRole(env, comm, spec.root);
  if (role == Role::kNone) return NoBlocks(spec);
  bool is_root = role == Role::kRoot;
  IntArray counts = ArgIntArray(env, info[2], "counts", !is_root);
  IntArray displs = ArgIntArray(env, info[3], "displs", !is_root);
  if (is_root) {
    if (!has_send)
      ThrowTypeError(env, "sendbuf must be an ArrayBufferView at the root");
    CheckLayout(env, counts, "counts", displs, "displs", comm.Peers(),
                send.count, "sendbuf");
    if (comm.inter) has_recv = false;  // the root only sends
    if (has_recv) {
      CheckSameType(env, send, "sendbuf", recv, "recvbuf");
      if (recv.count != counts.data[comm.rank]) {
        ThrowRangeError(env, "recvbuf length (" + Str(recv.count) +
                                 ") must equal counts[root] (" +
                                 std::to_string(counts.data[comm.rank]) + ")");
      }
    }
    spec.recv_count = comm.inter ? 0 : counts.data[comm.rank];
    spec.recv_type = send.type;
    spec.send_counts = KeepInts(spec, counts);
    spec.send_displs = KeepInts(spec, displs);
  } else {
    if (!has_recv) ThrowTypeError(env, "recvbuf must be an ArrayBufferView");
    spec.recv_count = IntCount(env, recv.count, "recvbuf");
    spec.recv_type = recv.type;
    has_send = false;
  }
  spec.send_type = spec.recv_type;
  spec.send = has_send ? send.data : nullptr;
  spec.recv = has_recv ? recv.data : InPlaceUnlessInter(comm);
  Pin(spec, has_send, send);
  Pin(spec, has_recv, recv);
  return spec;
}

VectorSpec ParseAllgatherv(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  VectorSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  IntArray counts = ArgIntArray(env, info[3], "counts", false);
  IntArray displs = ArgIntArray(env, info[4], "displs", false);
  CheckLayout(env, counts, "counts", displs, "displs", comm.Peers(), recv.count,
              "recvbuf");
  if (!has_send) NoInPlaceOnInter(env, comm);
  // On an intercommunicator counts describe the remote group's blocks.
  spec.send_count =
      has_send ? IntCount(env, send.count, "sendbuf") : counts.data[comm.rank];
  if (has_send) {
    CheckSameType(env, recv, "recvbuf", send, "sendbuf");
    if (!comm.inter && send.count != counts.data[comm.rank]) {
      ThrowRangeError(env, "sendbuf length (" + Str(send.count) +
                               ") must equal counts[rank] (" +
                               std::to_string(counts.data[comm.rank]) + ")");
    }
  }
  spec.send = SendPointer(has_send, send);
  spec.send_type = spec.recv_type = recv.type;
  spec.recv = recv.data;
  spec.recv_counts = KeepInts(spec, counts);
  spec.recv_displs = KeepInts(spec, displs);
  Pin(spec, has_send, send);
  Pin(spec, true, recv);
  return spec;
}

VectorSpec ParseAlltoallv(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  VectorSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
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
  spec.send = SendPointer(has_send, send);
  spec.recv = recv.data;
  spec.send_type = spec.recv_type = recv.type;
  spec.recv_counts = KeepInts(spec, rcounts);
  spec.recv_displs = KeepInts(spec, rdispls);
  // In place, MPI ignores the send layout.
  spec.send_counts = has_send ? KeepInts(spec, scounts) : spec.recv_counts;
  spec.send_displs = has_send ? KeepInts(spec, sdispls) : spec.recv_displs;
  Pin(spec, has_send, send);
  Pin(spec, true, recv);
  return spec;
}

ReduceScatterSpec ParseReduceScatter(const Napi::CallbackInfo& info,
                                     bool keep) {
  Napi::Env env = info.Env();
  ReduceScatterSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  IntArray counts = ArgIntArray(env, info[3], "counts", false);
  if (!has_send) NoInPlaceOnInter(env, comm);
  spec.op = KeepOp(spec, info, 4);
  int pair = ArgPairType(info, 5);
  if (has_send) AsPairs(env, &send, pair, "sendbuf");
  AsPairs(env, &recv, pair, "recvbuf");
  // One count per rank of this group, an intercommunicator's included.
  if (counts.length != static_cast<size_t>(comm.size)) {
    ThrowRangeError(env, "counts must have " + std::to_string(comm.size) +
                             " elements (the communicator size), got " +
                             std::to_string(counts.length));
  }
  MPI_Count total = 0;
  for (int i = 0; i < comm.size; ++i) {
    if (counts.data[i] < 0) {
      ThrowRangeError(env, "counts[" + std::to_string(i) +
                               "] must be >= 0, got " +
                               std::to_string(counts.data[i]));
    }
    total += counts.data[i];
  }
  IntCount(env, total, "the sum of counts");
  if (has_send) {
    CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    if (send.count != total) {
      ThrowRangeError(env, "sendbuf must have the sum of counts (" +
                               Str(total) + ") elements, got " +
                               Str(send.count));
    }
    CheckCapacity(env, recv, "recvbuf", counts.data[comm.rank]);
  } else {
    // In place: recvbuf holds every rank's input; the result lands first.
    CheckCapacity(env, recv, "recvbuf (in place: the whole input)", total);
  }
  spec.send = SendPointer(has_send, send);
  spec.recv = recv.data;
  spec.type = recv.type;
  spec.counts = KeepInts(spec, counts);
  Pin(spec, has_send, send);
  Pin(spec, true, recv);
  return spec;
}

ReduceScatterSpec ParseReduceScatterBlock(const Napi::CallbackInfo& info,
                                          bool keep) {
  Napi::Env env = info.Env();
  ReduceScatterSpec spec;
  Keep(spec, keep);
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  BufferView send;
  bool has_send = GetViewOrNull(env, info[1], "sendbuf", &send);
  BufferView recv = GetView(env, info[2], "recvbuf");
  if (!has_send) NoInPlaceOnInter(env, comm);
  spec.op = KeepOp(spec, info, 3);
  int pair = ArgPairType(info, 4);
  if (has_send) AsPairs(env, &send, pair, "sendbuf");
  AsPairs(env, &recv, pair, "recvbuf");
  if (has_send) {
    CheckSameType(env, send, "sendbuf", recv, "recvbuf");
    spec.count = IntCount(env, recv.count, "recvbuf");
    // An intercommunicator's group too gives its size times recvbuf's
    // length (both groups must total the same).
    if (send.count != recv.count * comm.size) {
      ThrowRangeError(env,
                      "sendbuf must have recvbuf's length times the "
                      "communicator size (" +
                          Str(recv.count * comm.size) + ") elements, got " +
                          Str(send.count));
    }
  } else {
    spec.count = BlockPerPeer(env, recv, "recvbuf", comm);
  }
  spec.send = SendPointer(has_send, send);
  spec.recv = recv.data;
  spec.type = recv.type;
  Pin(spec, has_send, send);
  Pin(spec, true, recv);
  return spec;
}

AlltoallwSpec ParseAlltoallw(const Napi::CallbackInfo& info, bool keep) {
  Napi::Env env = info.Env();
  AlltoallwSpec spec;
  spec.hold = std::make_shared<CollectiveHold>();
  CommEntry comm = GetComm(env, info[0]);
  spec.comm = comm.comm;
  CollectiveHold& hold = *spec.hold;
  const int peers = comm.Peers();  // the remote group on an intercommunicator
  hold.ints.resize(4, std::vector<int>(peers, 0));
  hold.types.resize(2 * peers, MPI_BYTE);
  const char* names[2] = {"sendbufs", "recvbufs"};
  for (int side = 0; side < 2; ++side) {
    Napi::Value value = info[1 + side];
    if (!value.IsArray() ||
        value.As<Napi::Array>().Length() != static_cast<uint32_t>(peers)) {
      ThrowTypeError(env, std::string(names[side]) + " must be an array of " +
                              std::to_string(peers) +
                              " ArrayBufferViews (one per " +
                              (comm.inter ? "remote rank)" : "rank)"));
    }
    std::vector<BufferView> views = GetParts(env, value, names[side]);
    for (int i = 0; i < peers; ++i) {
      const BufferView& view = views[i];
      std::string item =
          std::string(names[side]) + "[" + std::to_string(i) + "]";
      int count = IntCount(env, view.count, item.c_str());
      MPI_Datatype* type = &hold.types[side * peers + i];
      *type = view.type;
      if (count == 0) continue;
      // The block at its absolute address: MPI_BOTTOM plus this type.
      MPI_Aint address = 0;
      CheckMpi(env, MPI_Get_address(view.data, &address), "MPI_Get_address");
      DerivedType block;
      CheckMpi(
          env,
          MPI_Type_create_struct(1, &count, &address, &view.type, block.out()),
          "MPI_Type_create_struct");
      CheckMpi(env, MPI_Type_commit(block.address()), "MPI_Type_commit");
      *type = block.get();
      hold.derived.push_back(std::move(block));
      hold.ints[2 * side][i] = 1;
      if (keep) spec.pins.push_back(view.value);
    }
  }
  spec.send_counts = hold.ints[0].data();
  spec.send_displs = hold.ints[1].data();
  spec.send_types = hold.types.data();
  spec.recv_counts = hold.ints[2].data();
  spec.recv_displs = hold.ints[3].data();
  spec.recv_types = hold.types.data() + peers;
  return spec;
}

}  // namespace mpiloop
