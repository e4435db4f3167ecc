// Matched probes (MPI_Message): mprobe/improbe return a message id (-1 for
// MPI_MESSAGE_NO_PROC), which mrecv/imrecv receive exactly once, into a given
// view or, without one, into a new ArrayBuffer of the message's size.
#include <string>
#include <unordered_map>
#include <vector>

#include "args.h"
#include "comm_table.h"
#include "datatype.h"
#include "environment.h"
#include "errors.h"
#include "message.h"
#include "modules.h"
#include "requests.h"
#include "status.h"

namespace mpiloop {
namespace {

constexpr int32_t kNoProc = -1;

struct Matched {
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Status probe_status;
};

std::unordered_map<int32_t, Matched> g_matched;
int32_t g_next_message = 1;

Napi::Value Remember(Napi::Env env, MPI_Comm comm, MPI_Message message,
                     const MPI_Status& status) {
  WriteStatus(env, status);
  if (message == MPI_MESSAGE_NO_PROC) return Napi::Number::New(env, kNoProc);
  Matched entry;
  entry.message = message;
  entry.comm = comm;
  entry.probe_status = status;
  int32_t id = g_next_message++;
  g_matched.emplace(id, entry);
  return Napi::Number::New(env, id);
}

struct ProbeSpec {
  CommEntry comm;
  int source;
  int tag;
};

ProbeSpec GetProbeSpec(const Napi::CallbackInfo& info) {
  ProbeSpec spec;
  spec.comm = GetComm(info.Env(), info[0]);
  spec.source = ArgInt(info, 1, "source");
  CheckSource(info.Env(), spec.source, spec.comm.size, "source");
  spec.tag = ArgInt(info, 2, "tag");
  CheckRecvTag(info.Env(), spec.tag, "tag");
  return spec;
}

Napi::Value Mprobe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProbeSpec spec = GetProbeSpec(info);
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Status status;
  MatchedProbe(env, spec.source, spec.tag, spec.comm.comm, &message, &status);
  return Remember(env, spec.comm.comm, message, status);
}

Napi::Value Improbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProbeSpec spec = GetProbeSpec(info);
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Status status;
  int flag = 0;
  CheckMpi(env,
           MPI_Improbe(spec.source, spec.tag, spec.comm.comm, &flag, &message,
                       &status),
           "MPI_Improbe");
  if (!flag) return env.Null();
  return Remember(env, spec.comm.comm, message, status);
}

// Takes the message out of the table: a matched message is received once.
Matched Take(Napi::Env env, const Napi::CallbackInfo& info) {
  RequireMpi(env);
  int32_t id = ArgInt(info, 0, "messageId");
  Matched entry;
  if (id == kNoProc) {
    entry.message = MPI_MESSAGE_NO_PROC;
    MPI_Status& s = entry.probe_status;
    s.MPI_SOURCE = MPI_PROC_NULL;
    s.MPI_TAG = MPI_ANY_TAG;
    s.MPI_ERROR = MPI_SUCCESS;
    MPI_Status_set_elements(&s, MPI_BYTE, 0);
    MPI_Status_set_cancelled(&s, 0);
    return entry;
  }
  auto it = g_matched.find(id);
  if (it == g_matched.end()) {
    ThrowError(env, "message " + std::to_string(id) +
                        " has already been received (a matched message is "
                        "received exactly once)");
  }
  entry = it->second;
  g_matched.erase(it);
  return entry;
}

Napi::Value Mrecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BufferView view;
  bool into_view = GetViewOrNull(env, info[1], "buf", &view);
  Matched entry = Take(env, info);
  MPI_Status status;
  if (!into_view) {
    Napi::ArrayBuffer data =
        ReceiveMatched(env, &entry.message, entry.probe_status, &status);
    WriteStatus(env, status);
    return data;
  }
  WireBuffer wire = MakeWire(env, view);
  MatchedReceive(env, wire, &entry.message, &status);
  WriteStatus(env, status);
  return env.Undefined();
}

Napi::Value Imrecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  BufferView view;
  bool into_view = GetViewOrNull(env, info[1], "buf", &view);
  Matched entry = Take(env, info);
  if (!into_view) {
    return Napi::Number::New(
        env, TrackMatchedReceive(env, entry.comm, &entry.message,
                                 entry.probe_status));
  }
  WireBuffer wire = MakeWire(env, view);
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(
      env,
      MPI_Imrecv(wire.buf, wire.count, wire.type, &entry.message, &request),
      "MPI_Imrecv");
  std::vector<napi_value> pins{view.value};
  return Napi::Number::New(
      env, TrackRequest(env, false, entry.comm, entry.probe_status.MPI_SOURCE,
                        entry.probe_status.MPI_TAG, 0, pins, request));
}

}  // namespace

void RegisterMatchedProbe(Napi::Env env, Napi::Object exports) {
  exports.Set("mprobe", Napi::Function::New(env, Mprobe, "mprobe"));
  exports.Set("improbe", Napi::Function::New(env, Improbe, "improbe"));
  exports.Set("mrecv", Napi::Function::New(env, Mrecv, "mrecv"));
  exports.Set("imrecv", Napi::Function::New(env, Imrecv, "imrecv"));
}

}  // namespace mpiloop
