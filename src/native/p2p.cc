// Blocking point-to-point: send, recv, sendrecv, sendParts, probeRecv,
// probeRecvInto, tryProbeRecv, probe, iprobe.
#include <sched.h>

#include <cstring>

#include "args.h"
#include "blocking.h"
#include "comm_table.h"
#include "datatype.h"
#include "errors.h"
#include "message.h"
#include "modules.h"
#include "spin_budget.h"
#include "status.h"

namespace mpiloop {
namespace {

void SendWire(Napi::Env env, const WireBuffer& wire, int dest, int tag,
              MPI_Comm comm) {
  RunWaiting(
      env, "MPI_Send",
      [&] {
        return MPI_Send(wire.buf, wire.count, wire.type, dest, tag, comm);
      },
      StartThenTest([&](MPI_Request* r) {
        return MPI_Isend(wire.buf, wire.count, wire.type, dest, tag, comm, r);
      }));
}

Napi::Value Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  int dest = ArgInt(info, 2, "dest");
  CheckDest(env, dest, comm.Peers(), "dest");
  int tag = ArgInt(info, 3, "tag");
  CheckSendTag(env, tag, "tag");
  WireBuffer wire = MakeWire(env, view);
  SendWire(env, wire, dest, tag, comm.comm);
  return env.Undefined();
}

// One message to several ranks (the event loop's flat fan-out of a command),
// in one native call: every send started, then all waited for together, so
// a receiver that is slow to drain its queue holds up none of the others.
Napi::Value SendEach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  IntArray dests = ArgIntArray(env, info[2], "dests", false);
  int tag = ArgInt(info, 3, "tag");
  CheckSendTag(env, tag, "tag");
  for (size_t i = 0; i < dests.length; i++)
    CheckDest(env, dests.data[i], comm.Peers(), "dests[i]");
  WireBuffer wire = MakeWire(env, view);
  static std::vector<MPI_Request> requests;
  requests.assign(dests.length, MPI_REQUEST_NULL);
  int started = MPI_SUCCESS;
  for (size_t i = 0; i < dests.length && started == MPI_SUCCESS; i++)
    started = MPI_Isend(wire.buf, wire.count, wire.type, dests.data[i], tag,
                        comm.comm, &requests[i]);
  const int n = static_cast<int>(requests.size());
  // The sends that did start are completed before a failure is reported.
  RunWaiting(
      env, "MPI_Waitall",
      [&] { return MPI_Waitall(n, requests.data(), MPI_STATUSES_IGNORE); },
      [&](int* done) {
        return MPI_Testall(n, requests.data(), done, MPI_STATUSES_IGNORE);
      });
  CheckMpi(env, started, "MPI_Isend");
  return env.Undefined();
}

Napi::Value Recv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  int source = ArgInt(info, 2, "source");
  CheckSource(env, source, comm.Peers(), "source");
  int tag = ArgInt(info, 3, "tag");
  CheckRecvTag(env, tag, "tag");
  WireBuffer wire = MakeWire(env, view);
  MPI_Status status;
  RunWaiting(
      env, "MPI_Recv",
      [&] {
        return MPI_Recv(wire.buf, wire.count, wire.type, source, tag, comm.comm,
                        &status);
      },
      StartThenTest(
          [&](MPI_Request* r) {
            return MPI_Irecv(wire.buf, wire.count, wire.type, source, tag,
                             comm.comm, r);
          },
          &status));
  WriteStatus(env, status);
  return env.Undefined();
}

Napi::Value Sendrecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView send = GetView(env, info[1], "sendbuf");
  int dest = ArgInt(info, 2, "dest");
  CheckDest(env, dest, comm.Peers(), "dest");
  int sendtag = ArgInt(info, 3, "sendtag");
  CheckSendTag(env, sendtag, "sendtag");
  BufferView recv = GetView(env, info[4], "recvbuf");
  int source = ArgInt(info, 5, "source");
  CheckSource(env, source, comm.Peers(), "source");
  int recvtag = ArgInt(info, 6, "recvtag");
  CheckRecvTag(env, recvtag, "recvtag");
  WireBuffer out = MakeWire(env, send);
  WireBuffer in = MakeWire(env, recv);
  MPI_Status status;
  MPI_Request pair[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
  MPI_Status statuses[2];
  bool started = false;
  RunWaiting(
      env, "MPI_Sendrecv",
      [&] {
        return MPI_Sendrecv(out.buf, out.count, out.type, dest, sendtag, in.buf,
                            in.count, in.type, source, recvtag, comm.comm,
                            &status);
      },
      [&](int* done) {
        if (!started) {
          started = true;
          int rc = MPI_Irecv(in.buf, in.count, in.type, source, recvtag,
                             comm.comm, &pair[0]);
          if (rc == MPI_SUCCESS)
            rc = MPI_Isend(out.buf, out.count, out.type, dest, sendtag,
                           comm.comm, &pair[1]);
          if (rc != MPI_SUCCESS) return rc;
        }
        int rc = MPI_Testall(2, pair, done, statuses);
        if (*done) status = statuses[0];
        return rc;
      });
  WriteStatus(env, status);
  return env.Undefined();
}

constexpr double kSmallPartsCopy = 16384;

Napi::Value SendParts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  std::vector<BufferView> parts = GetParts(env, info[1], "parts");
  int dest = ArgInt(info, 2, "dest");
  CheckDest(env, dest, comm.Peers(), "dest");
  int tag = ArgInt(info, 3, "tag");
  CheckSendTag(env, tag, "tag");
  // Small messages: one copy into a reused buffer is much cheaper than
  // creating, committing and freeing a derived datatype per message (the hot
  // path of the event loop's commands). The copy lives until MPI_Send returns.
  WireBuffer wire;
  double total = PartsBytes(parts);
  if (parts.size() > 1 && total <= kSmallPartsCopy) {
    static std::vector<unsigned char> scratch;
    scratch.resize(static_cast<size_t>(total));
    size_t offset = 0;
    for (const BufferView& part : parts) {
      if (part.bytes == 0) continue;
      std::memcpy(scratch.data() + offset, part.data, part.bytes);
      offset += part.bytes;
    }
    wire.buf = scratch.data();
    wire.count = static_cast<int>(offset);
    wire.type = MPI_BYTE;
  } else {
    wire = MakePartsWire(env, parts);
  }
  SendWire(env, wire, dest, tag, comm.comm);
  return env.Undefined();
}

struct ProbeArgs {
  CommEntry comm;
  int source;
  int tag;
};

ProbeArgs GetProbeArgs(const Napi::CallbackInfo& info) {
  ProbeArgs args;
  args.comm = GetComm(info.Env(), info[0]);
  args.source = ArgInt(info, 1, "source");
  CheckSource(info.Env(), args.source, args.comm.Peers(), "source");
  args.tag = ArgInt(info, 2, "tag");
  CheckRecvTag(info.Env(), args.tag, "tag");
  return args;
}

// A matched probe (MPI_Mprobe) of what the arguments name.
struct Matched {
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Status status;
};

Matched Match(Napi::Env env, const ProbeArgs& args) {
  Matched m;
  MatchedProbe(env, args.source, args.tag, args.comm.comm, &m.message,
               &m.status);
  return m;
}

// Receives a matched message into a new ArrayBuffer; writes its status.
Napi::ArrayBuffer ReceiveNew(Napi::Env env, Matched* m) {
  MPI_Status status;
  Napi::ArrayBuffer buffer =
      ReceiveMatched(env, &m->message, m->status, &status);
  WriteStatus(env, status);
  return buffer;
}

Napi::Value ProbeRecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Matched m = Match(env, GetProbeArgs(info));
  return ReceiveNew(env, &m);
}

// Receives a matched message into scratch when it fits (returns its length),
// else into a new ArrayBuffer (returned); writes its status. Reusing the
// caller's memory spares a small message an allocation.
Napi::Value ReceiveIntoOrNew(Napi::Env env, Matched* m,
                             const BufferView& scratch) {
  double bytes = StatusBytes(m->status);
  if (m->message == MPI_MESSAGE_NO_PROC || bytes > scratch.bytes)
    return ReceiveNew(env, m);
  MPI_Status status;
  MatchedReceive(
      env, MakeWire(env, scratch.data, static_cast<MPI_Count>(bytes), MPI_BYTE),
      &m->message, &status);
  WriteStatus(env, status);
  return Napi::Number::New(env, bytes);
}

// probeRecv into the caller's scratch when the message fits: one native call
// for the small values a recv takes, where a probe then a recv made two.
Napi::Value ProbeRecvInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProbeArgs args = GetProbeArgs(info);
  BufferView scratch = GetView(env, info[3], "scratch");
  Matched m = Match(env, args);
  return ReceiveIntoOrNew(env, &m, scratch);
}

Napi::Value TryProbeRecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProbeArgs args = GetProbeArgs(info);
  double spin_micros = ArgNonNegative(info, 3, "spinMicros");
  // Oversubscribed (more ranks than cores): the spin is counted in this
  // thread's CPU time (spin_budget.h).
  const bool oversubscribed = info.Length() > 4 && info[4].ToBoolean().Value();
  // Whether to give the core away between probes: not when the MPI does so
  // itself inside the probe (Open MPI told of the oversubscription), where a
  // second yield made a second context switch for every probe that found
  // nothing.
  const bool yield_between = info.Length() > 6 && info[6].ToBoolean().Value();
  SpinBudget budget(spin_micros, oversubscribed);
  Matched m;
  for (;;) {
    int flag = 0;
    CheckMpi(env,
             MPI_Improbe(args.source, args.tag, args.comm.comm, &flag,
                         &m.message, &m.status),
             "MPI_Improbe");
    if (flag) break;
    if (budget.Spent()) return env.Null();
    if (yield_between) sched_yield();
  }
  if (info.Length() > 5 && !info[5].IsUndefined())
    return ReceiveIntoOrNew(env, &m, GetView(env, info[5], "scratch"));
  return ReceiveNew(env, &m);
}

Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProbeArgs args = GetProbeArgs(info);
  MPI_Status status;
  RunWaiting(
      env, "MPI_Probe",
      [&] { return MPI_Probe(args.source, args.tag, args.comm.comm, &status); },
      [&](int* done) {
        return MPI_Iprobe(args.source, args.tag, args.comm.comm, done, &status);
      });
  WriteStatus(env, status);
  return env.Undefined();
}

Napi::Value Iprobe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProbeArgs args = GetProbeArgs(info);
  MPI_Status status;
  int flag = 0;
  CheckMpi(env,
           MPI_Iprobe(args.source, args.tag, args.comm.comm, &flag, &status),
           "MPI_Iprobe");
  if (flag) WriteStatus(env, status);
  return Napi::Boolean::New(env, flag != 0);
}

}  // namespace

void RegisterPointToPoint(Napi::Env env, Napi::Object exports) {
  exports.Set("send", Napi::Function::New(env, Send, "send"));
  exports.Set("recv", Napi::Function::New(env, Recv, "recv"));
  exports.Set("sendrecv", Napi::Function::New(env, Sendrecv, "sendrecv"));
  exports.Set("sendEach", Napi::Function::New(env, SendEach, "sendEach"));
  exports.Set("sendParts", Napi::Function::New(env, SendParts, "sendParts"));
  exports.Set("probeRecv", Napi::Function::New(env, ProbeRecv, "probeRecv"));
  exports.Set("probeRecvInto",
              Napi::Function::New(env, ProbeRecvInto, "probeRecvInto"));
  exports.Set("tryProbeRecv",
              Napi::Function::New(env, TryProbeRecv, "tryProbeRecv"));
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("iprobe", Napi::Function::New(env, Iprobe, "iprobe"));
}

}  // namespace mpiloop
