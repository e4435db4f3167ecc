// Sends in every mode: sendInMode (MPI_Send/Ssend/Bsend/Rsend), isendInMode
// (MPI_Isend/Issend/Ibsend/Irsend), and sendrecvReplace.
#include "send_modes.h"

#include <string>

#include "args.h"
#include "blocking.h"
#include "bsend_buffer.h"
#include "errors.h"
#include "modules.h"
#include "requests.h"
#include "status.h"

namespace mpiloop {
namespace {

int Post(SendMode mode, SendSpec& s) {
  WireBuffer& w = s.wire;
  switch (mode) {
    case SendMode::kSynchronous:
      return MPI_Ssend(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm);
    case SendMode::kBuffered:
      return MPI_Bsend(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm);
    case SendMode::kReady:
      return MPI_Rsend(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm);
    default:
      return MPI_Send(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm);
  }
}

int PostNonblocking(SendMode mode, SendSpec& s, MPI_Request* request) {
  WireBuffer& w = s.wire;
  switch (mode) {
    case SendMode::kSynchronous:
      return MPI_Issend(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                        request);
    case SendMode::kBuffered:
      return MPI_Ibsend(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                        request);
    case SendMode::kReady:
      return MPI_Irsend(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                        request);
    default:
      return MPI_Isend(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                       request);
  }
}

Napi::Value SendInMode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SendSpec spec = GetSendSpec(info, false);
  const char* name = SendFunctionName(spec.mode, false, false);
  CheckBufferRoom(env, spec.mode, spec.dest, spec.bytes, name);
  int rc = CallWaiting([&] { return Post(spec.mode, spec); },
                       StartThenTest([&](MPI_Request* r) {
                         return PostNonblocking(spec.mode, spec, r);
                       }));
  if (rc != MPI_SUCCESS) ThrowSendError(env, rc, spec, name);
  return env.Undefined();
}

Napi::Value IsendInMode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SendSpec spec = GetSendSpec(info, false);
  const char* name = SendFunctionName(spec.mode, true, false);
  CheckBufferRoom(env, spec.mode, spec.dest, spec.bytes, name);
  MPI_Request request = MPI_REQUEST_NULL;
  int rc = PostNonblocking(spec.mode, spec, &request);
  if (rc != MPI_SUCCESS) ThrowSendError(env, rc, spec, name);
  return Napi::Number::New(
      env, TrackRequest(env, true, spec.comm.comm, spec.dest, spec.tag,
                        spec.bytes, spec.pins, request));
}

Napi::Value SendrecvReplace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  int dest = ArgInt(info, 2, "dest");
  CheckDest(env, dest, comm.size, "dest");
  int sendtag = ArgInt(info, 3, "sendtag");
  CheckSendTag(env, sendtag, "sendtag");
  int source = ArgInt(info, 4, "source");
  CheckSource(env, source, comm.size, "source");
  int recvtag = ArgInt(info, 5, "recvtag");
  CheckRecvTag(env, recvtag, "recvtag");
  WireBuffer wire = MakeWire(env, view);
  MPI_Status status;
  RunBlocking(env, "MPI_Sendrecv_replace", [&] {
    return MPI_Sendrecv_replace(wire.buf, wire.count, wire.type, dest, sendtag,
                                source, recvtag, comm.comm, &status);
  });
  WriteStatus(env, status);
  return env.Undefined();
}

}  // namespace

SendSpec GetSendSpec(const Napi::CallbackInfo& info, bool only_view) {
  Napi::Env env = info.Env();
  SendSpec spec;
  spec.comm = GetComm(env, info[0]);
  if (!only_view && info[1].IsArray() && !IsBufferSpec(info[1])) {
    std::vector<BufferView> parts = GetParts(env, info[1], "parts");
    for (const BufferView& part : parts) spec.pins.push_back(part.value);
    spec.bytes = PartsBytes(parts);
    spec.wire = MakePartsWire(env, parts);
  } else {
    BufferView view = GetView(env, info[1], "buf");
    spec.pins.push_back(view.value);
    spec.bytes = static_cast<double>(view.bytes);
    spec.wire = MakeWire(env, view);
  }
  spec.dest = ArgInt(info, 2, "dest");
  CheckDest(env, spec.dest, spec.comm.size, "dest");
  spec.tag = ArgInt(info, 3, "tag");
  CheckSendTag(env, spec.tag, "tag");
  int mode = ArgInt(info, 4, "mode");
  if (mode < 0 || mode > 3) {
    ThrowRangeError(env,
                    "mode must be 0 (standard), 1 (synchronous), "
                    "2 (buffered) or 3 (ready), got " +
                        std::to_string(mode));
  }
  spec.mode = static_cast<SendMode>(mode);
  return spec;
}

const char* SendFunctionName(SendMode mode, bool nonblocking, bool persistent) {
  static const char* const names[3][4] = {
      {"MPI_Send", "MPI_Ssend", "MPI_Bsend", "MPI_Rsend"},
      {"MPI_Isend", "MPI_Issend", "MPI_Ibsend", "MPI_Irsend"},
      {"MPI_Send_init", "MPI_Ssend_init", "MPI_Bsend_init", "MPI_Rsend_init"}};
  return names[persistent ? 2 : nonblocking ? 1 : 0][static_cast<int>(mode)];
}

namespace {

[[noreturn]] void ThrowNoRoom(Napi::Env env, int rc, double bytes,
                              const char* function) {
  Napi::Error error = MakeMpiError(env, rc, function);
  double attached = AttachedBufferBytes();
  std::string why =
      attached == 0
          ? "no buffer is attached"
          : "the attached buffer has " + FormatNumber(attached) +
                " bytes (less is free while earlier buffered messages are "
                "in it)";
  error.Value().Set(
      "message",
      Napi::String::New(
          env, std::string(function) + ": a buffered send of " +
                   FormatNumber(bytes) + " bytes needs " +
                   FormatNumber(bytes + MPI_BSEND_OVERHEAD) +
                   " bytes of attached buffer (BSEND_OVERHEAD included), "
                   "but " +
                   why + "; attach a larger one with attachBuffer()"));
  throw error;
}

}  // namespace

void CheckBufferRoom(Napi::Env env, SendMode mode, int dest, double bytes,
                     const char* function) {
  // Open MPI fails a buffered send only after numbering it, which leaves
  // the receiver waiting for it forever: never hand it one that cannot fit.
  if (mode != SendMode::kBuffered || dest == MPI_PROC_NULL) return;
  if (bytes + MPI_BSEND_OVERHEAD <= AttachedBufferBytes()) return;
  ThrowNoRoom(env, MPI_ERR_BUFFER, bytes, function);
}

void ThrowSendError(Napi::Env env, int rc, const SendSpec& spec,
                    const char* function) {
  int error_class = rc;
  MPI_Error_class(rc, &error_class);
  if (spec.mode == SendMode::kBuffered && error_class == MPI_ERR_BUFFER) {
    ThrowNoRoom(env, rc, spec.bytes, function);
  }
  ThrowMpiError(env, rc, function);
}

void RegisterSendModes(Napi::Env env, Napi::Object exports) {
  exports.Set("sendInMode", Napi::Function::New(env, SendInMode, "sendInMode"));
  exports.Set("isendInMode",
              Napi::Function::New(env, IsendInMode, "isendInMode"));
  exports.Set("sendrecvReplace",
              Napi::Function::New(env, SendrecvReplace, "sendrecvReplace"));
}

}  // namespace mpiloop
