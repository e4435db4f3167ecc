// Persistent requests: sendInit (MPI_Send_init in any mode), recvInit,
// start/startall (each start is an ordinary request id, completed by the
// poller) and prequestFree. A persistent request keeps its buffer referenced
// until it is freed.
#include <string>
#include <unordered_map>
#include <vector>

#include "args.h"
#include "environment.h"
#include "errors.h"
#include "modules.h"
#include "requests.h"
#include "send_modes.h"

namespace mpiloop {
namespace {

struct Persistent {
  MPI_Request request = MPI_REQUEST_NULL;
  bool is_send = false;
  SendMode mode = SendMode::kStandard;
  MPI_Comm comm = MPI_COMM_NULL;
  int peer = 0;
  int tag = 0;
  double bytes = 0;
  napi_ref pin = nullptr;
};

std::unordered_map<int32_t, Persistent> g_persistent;
int32_t g_next_persistent = 1;

int32_t Keep(napi_env env, Persistent entry, napi_value view) {
  napi_create_reference(env, view, 1, &entry.pin);
  int32_t id = g_next_persistent++;
  g_persistent.emplace(id, entry);
  return id;
}

Persistent& GetPersistent(Napi::Env env, const Napi::CallbackInfo& info,
                          size_t index) {
  int32_t id = ArgInt(info, index, "prequestId");
  auto it = g_persistent.find(id);
  if (it == g_persistent.end()) {
    ThrowError(env, "unknown persistent request " + std::to_string(id) +
                        " (freed, or never created)");
  }
  return it->second;
}

int PostInit(SendSpec& s, MPI_Request* request) {
  WireBuffer& w = s.wire;
  switch (s.mode) {
    case SendMode::kSynchronous:
      return MPI_Ssend_init(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                            request);
    case SendMode::kBuffered:
      return MPI_Bsend_init(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                            request);
    case SendMode::kReady:
      return MPI_Rsend_init(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                            request);
    default:
      return MPI_Send_init(w.buf, w.count, w.type, s.dest, s.tag, s.comm.comm,
                           request);
  }
}

Napi::Value SendInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SendSpec spec = GetSendSpec(info, true);
  Persistent entry;
  CheckMpi(env, PostInit(spec, &entry.request),
           SendFunctionName(spec.mode, false, true));
  entry.is_send = true;
  entry.mode = spec.mode;
  entry.comm = spec.comm.comm;
  entry.peer = spec.dest;
  entry.tag = spec.tag;
  entry.bytes = spec.bytes;
  // A derived datatype (over INT_MAX elements) is kept by the request.
  return Napi::Number::New(env, Keep(env, entry, spec.pins[0]));
}

Napi::Value RecvInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  int source = ArgInt(info, 2, "source");
  CheckSource(env, source, comm.size, "source");
  int tag = ArgInt(info, 3, "tag");
  CheckRecvTag(env, tag, "tag");
  WireBuffer wire = MakeWire(env, view);
  Persistent entry;
  CheckMpi(env,
           MPI_Recv_init(wire.buf, wire.count, wire.type, source, tag,
                         comm.comm, &entry.request),
           "MPI_Recv_init");
  entry.comm = comm.comm;
  entry.peer = source;
  entry.tag = tag;
  return Napi::Number::New(env, Keep(env, entry, view.value));
}

// The request id of this activation. The engine polls a copy of the handle:
// completing a persistent request only makes it inactive.
int32_t Track(Napi::Env env, Persistent& p) {
  std::vector<napi_value> pins;
  return TrackRequest(env, p.is_send, p.comm, p.peer, p.tag, p.bytes, pins,
                      p.request);
}

Napi::Value Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  Persistent& p = GetPersistent(env, info, 0);
  CheckBufferRoom(env, p.mode, p.peer, p.bytes, "MPI_Start");
  CheckMpi(env, MPI_Start(&p.request), "MPI_Start");
  return Napi::Number::New(env, Track(env, p));
}

Napi::Value Startall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  IntArray ids = ArgIntArray(env, info[0], "prequestIds", false);
  std::vector<Persistent*> entries;
  std::vector<MPI_Request> handles;
  for (size_t i = 0; i < ids.length; ++i) {
    auto it = g_persistent.find(ids.data[i]);
    if (it == g_persistent.end()) {
      ThrowError(env, "unknown persistent request " +
                          std::to_string(ids.data[i]) +
                          " (freed, or never created)");
    }
    CheckBufferRoom(env, it->second.mode, it->second.peer, it->second.bytes,
                    "MPI_Startall");
    entries.push_back(&it->second);
    handles.push_back(it->second.request);
  }
  if (!handles.empty()) {
    CheckMpi(env,
             MPI_Startall(static_cast<int>(handles.size()), handles.data()),
             "MPI_Startall");
  }
  Napi::Int32Array out = Napi::Int32Array::New(env, entries.size());
  for (size_t i = 0; i < entries.size(); ++i) out[i] = Track(env, *entries[i]);
  return out;
}

Napi::Value PrequestFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Persistent& p = GetPersistent(env, info, 0);
  int32_t id = info[0].As<Napi::Number>().Int32Value();
  if (MpiUsable() && p.request != MPI_REQUEST_NULL) {
    CheckMpi(env, MPI_Request_free(&p.request), "MPI_Request_free");
  }
  if (p.pin != nullptr) napi_delete_reference(env, p.pin);
  g_persistent.erase(id);
  return env.Undefined();
}

}  // namespace

void ReleasePersistentRequests(napi_env env) {
  for (auto& item : g_persistent) {
    if (item.second.pin != nullptr) napi_delete_reference(env, item.second.pin);
  }
  g_persistent.clear();
}

void RegisterPersistentRequests(Napi::Env env, Napi::Object exports) {
  exports.Set("sendInit", Napi::Function::New(env, SendInit, "sendInit"));
  exports.Set("recvInit", Napi::Function::New(env, RecvInit, "recvInit"));
  exports.Set("start", Napi::Function::New(env, Start, "start"));
  exports.Set("startall", Napi::Function::New(env, Startall, "startall"));
  exports.Set("prequestFree",
              Napi::Function::New(env, PrequestFree, "prequestFree"));
}

}  // namespace mpiloop
