#include "requests.h"

#include <algorithm>
#include <climits>
#include <deque>
#include <memory>
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
#include "poller.h"
#include "status.h"

namespace mpiloop {
namespace {

enum class Kind { kSend, kRecv, kCollective, kProbeRecv, kFile };

struct Entry {
  Kind kind = Kind::kSend;
  bool done = false;         // result below is final, awaiting delivery
  bool has_request = false;  // holds a slot in Engine::requests
  bool matched = false;      // probe-receive: MPI_Imrecv running
  bool cancel_requested = false;
  size_t index = 0;  // slot in Engine::requests
  MPI_Comm comm = MPI_COMM_NULL;
  int peer = 0;  // dest (send) or source (receive)
  int tag = 0;
  double bytes = 0;            // send: bytes posted
  std::vector<napi_ref> pins;  // views MPI reads/writes until completion
  napi_ref data = nullptr;     // probe-receive: the receiving ArrayBuffer
  std::shared_ptr<void> keep;  // collective: arrays, datatypes, user op
  // Result, once done.
  double source = 0;
  double result_tag = 0;
  double count = 0;
  int error = 0;
  bool cancelled = false;
};

struct Engine {
  napi_env env = nullptr;
  std::unordered_map<int32_t, std::unique_ptr<Entry>> entries;
  // Active MPI requests and their ids, kept dense for MPI_Testsome.
  std::vector<MPI_Request> requests;
  std::vector<int32_t> request_ids;
  std::vector<int32_t> probes;    // unmatched probe-receives, in post order
  std::deque<int32_t> completed;  // done, callback not yet called
  std::vector<int> scratch_indices;
  std::vector<MPI_Status> scratch_statuses;
  napi_ref callback = nullptr;
  napi_async_context async_context = nullptr;
  int32_t next_id = 1;
};

// Heap-allocated and deleted at env cleanup: it holds napi references, which
// must not be released by static destructors after the env is gone.
Engine* g = nullptr;

Entry* Find(int32_t id) {
  auto it = g->entries.find(id);
  return it == g->entries.end() ? nullptr : it->second.get();
}

Entry& GetEntry(Napi::Env env, const Napi::CallbackInfo& info, int32_t* id) {
  *id = ArgInt(info, 0, "requestId");
  Entry* entry = Find(*id);
  if (entry == nullptr) {
    ThrowError(env, "unknown request id " + std::to_string(*id) +
                        " (already completed, or never posted)");
  }
  return *entry;
}

void ReleaseRefs(napi_env env, Entry& entry) {
  for (napi_ref ref : entry.pins) napi_delete_reference(env, ref);
  entry.pins.clear();
  if (entry.data != nullptr) napi_delete_reference(env, entry.data);
  entry.data = nullptr;
  entry.keep.reset();
}

void PinValue(napi_env env, Entry& entry, napi_value value) {
  napi_ref ref = nullptr;
  if (napi_create_reference(env, value, 1, &ref) == napi_ok) {
    entry.pins.push_back(ref);
  }
}

int32_t NewId() {
  while (g->next_id <= 0 || g->entries.count(g->next_id) != 0) {
    g->next_id =
        g->next_id >= INT32_MAX || g->next_id <= 0 ? 1 : g->next_id + 1;
  }
  int32_t id = g->next_id;
  g->next_id = id == INT32_MAX ? 1 : id + 1;
  return id;
}

void AddRequestSlot(int32_t id, Entry& entry, MPI_Request request) {
  entry.index = g->requests.size();
  entry.has_request = true;
  g->requests.push_back(request);
  g->request_ids.push_back(id);
}

// Swap-remove keeps the arrays dense for MPI_Testsome.
void RemoveRequestSlot(size_t index) {
  size_t last = g->requests.size() - 1;
  if (index != last) {
    g->requests[index] = g->requests[last];
    g->request_ids[index] = g->request_ids[last];
    Entry* moved = Find(g->request_ids[index]);
    if (moved != nullptr) moved->index = index;
  }
  g->requests.pop_back();
  g->request_ids.pop_back();
}

// Fills the result fields. status may be null (no trustworthy status).
void SetResult(Entry& entry, const MPI_Status* status, int error) {
  entry.error = error;
  entry.cancelled = status != nullptr && StatusCancelled(*status);
  switch (entry.kind) {
    case Kind::kSend:
      // MPI leaves a send's status fields undefined: report what was posted.
      entry.source = entry.peer;
      entry.result_tag = entry.tag;
      entry.count = entry.cancelled || error != MPI_SUCCESS ? 0 : entry.bytes;
      break;
    case Kind::kCollective:
      entry.source = MPI_ANY_SOURCE;  // the "empty" status
      entry.result_tag = MPI_ANY_TAG;
      entry.count = 0;
      break;
    case Kind::kFile:
      // Open MPI's I/O component leaves the status's cancelled field unset
      // (seen as random cancellations): only a cancel asked for counts.
      entry.cancelled = entry.cancelled && entry.cancel_requested;
      // An I/O status has no envelope: count is the bytes moved.
      entry.source = MPI_ANY_SOURCE;
      entry.result_tag = MPI_ANY_TAG;
      entry.count =
          status != nullptr && !entry.cancelled && error == MPI_SUCCESS
              ? StatusBytes(*status)
              : 0;
      break;
    case Kind::kRecv:
    case Kind::kProbeRecv:
      if (status != nullptr && !entry.cancelled) {
        entry.source = status->MPI_SOURCE;
        entry.result_tag = status->MPI_TAG;
        entry.count = StatusBytes(*status);
      } else {
        entry.source = entry.peer;
        entry.result_tag = entry.tag;
        entry.count = 0;
      }
      break;
  }
}

void MarkDone(int32_t id, Entry& entry, const MPI_Status* status, int error) {
  SetResult(entry, status, error);
  entry.done = true;
  g->completed.push_back(id);
}

void MarkCancelled(int32_t id, Entry& entry) {
  SetResult(entry, nullptr, MPI_SUCCESS);
  entry.cancelled = true;
  entry.done = true;
  g->completed.push_back(id);
}

// A probe-receive matched: allocate its ArrayBuffer and start MPI_Imrecv; the
// receive then completes through MPI_Testsome like any request, so a large
// message never blocks the event loop.
void StartMatchedReceive(napi_env env, int32_t id, Entry& entry,
                         MPI_Message* message, const MPI_Status& probe_status) {
  Napi::Env napi_env_(env);
  double bytes = StatusBytes(probe_status);
  try {
    Napi::ArrayBuffer buffer = AllocateForMessage(napi_env_, message, bytes);
    napi_create_reference(env, buffer, 1, &entry.data);
    WireBuffer wire = MakeWire(napi_env_, buffer.Data(),
                               static_cast<MPI_Count>(bytes), MPI_BYTE);
    MPI_Request request = MPI_REQUEST_NULL;
    int rc = MPI_Imrecv(wire.buf, wire.count, wire.type, message, &request);
    if (rc != MPI_SUCCESS) {
      MarkDone(id, entry, nullptr, rc);
      return;
    }
    entry.matched = true;
    AddRequestSlot(id, entry, request);
  } catch (const Napi::Error& error) {
    // Allocation failed (the message was consumed) or the datatype could not
    // be built: complete with an error instead of losing the request.
    if (*message != MPI_MESSAGE_NULL && *message != MPI_MESSAGE_NO_PROC) {
      MPI_Mrecv(nullptr, 0, MPI_BYTE, message, MPI_STATUS_IGNORE);
    }
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
    MarkDone(id, entry, nullptr, MPI_ERR_NO_MEM);
  }
}

// One MPI_Improbe for a pending probe-receive; true if it progressed.
bool TryMatch(napi_env env, int32_t id, Entry& entry) {
  int flag = 0;
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Status status;
  int rc =
      MPI_Improbe(entry.peer, entry.tag, entry.comm, &flag, &message, &status);
  if (rc != MPI_SUCCESS) {
    MarkDone(id, entry, nullptr, rc);
    return true;
  }
  if (!flag) return false;
  StartMatchedReceive(env, id, entry, &message, status);
  return true;
}

int PollProbes(napi_env env) {
  if (g->probes.empty()) return 0;
  int progress = 0;
  // Copy: allocation may run GC, never JS, but stay safe against mutation.
  std::vector<int32_t> ids = g->probes;
  for (int32_t id : ids) {
    Entry* entry = Find(id);
    if (entry == nullptr || entry->done || entry->matched) continue;
    if (TryMatch(env, id, *entry)) ++progress;
  }
  g->probes.erase(std::remove_if(g->probes.begin(), g->probes.end(),
                                 [](int32_t id) {
                                   Entry* entry = Find(id);
                                   return entry == nullptr || entry->done ||
                                          entry->matched;
                                 }),
                  g->probes.end());
  return progress;
}

int PollRequests() {
  size_t n = g->requests.size();
  if (n == 0) return 0;
  g->scratch_indices.resize(n);
  g->scratch_statuses.resize(n);
  std::vector<size_t> finished;
  int outcount = 0;
  int rc = MPI_Testsome(static_cast<int>(n), g->requests.data(), &outcount,
                        g->scratch_indices.data(), g->scratch_statuses.data());
  if (rc == MPI_SUCCESS || rc == MPI_ERR_IN_STATUS) {
    if (outcount != MPI_UNDEFINED) {
      for (int k = 0; k < outcount; ++k) {
        size_t index = static_cast<size_t>(g->scratch_indices[k]);
        const MPI_Status& status = g->scratch_statuses[k];
        Entry* entry = Find(g->request_ids[index]);
        if (entry == nullptr) continue;
        MarkDone(g->request_ids[index], *entry, &status,
                 rc == MPI_ERR_IN_STATUS ? status.MPI_ERROR : MPI_SUCCESS);
        finished.push_back(index);
      }
    }
  } else {
    // MPI_Testsome itself failed: test one by one so the failing request
    // completes with its error and the others carry on.
    for (size_t i = 0; i < n; ++i) {
      int flag = 0;
      MPI_Status status;
      int rc_one = MPI_Test(&g->requests[i], &flag, &status);
      Entry* entry = Find(g->request_ids[i]);
      if (entry == nullptr) continue;
      if (rc_one != MPI_SUCCESS) {
        MarkDone(g->request_ids[i], *entry, nullptr, rc_one);
        finished.push_back(i);
      } else if (flag) {
        MarkDone(g->request_ids[i], *entry, &status, MPI_SUCCESS);
        finished.push_back(i);
      }
    }
  }
  // Descending, so swap-remove never moves a slot still to be removed.
  std::sort(finished.begin(), finished.end(), std::greater<size_t>());
  for (size_t index : finished) {
    Entry* entry = Find(g->request_ids[index]);
    if (entry != nullptr) entry->has_request = false;
    RemoveRequestSlot(index);
  }
  return static_cast<int>(finished.size());
}

// Calls the JS callback for one completion, inside a callback scope so
// microtasks and nextTicks run afterwards like for any libuv callback.
void Deliver(napi_env env, int32_t id, Entry& entry, napi_value data) {
  napi_value callback = nullptr, global = nullptr, undefined = nullptr;
  napi_get_reference_value(env, g->callback, &callback);
  napi_get_global(env, &global);
  napi_get_undefined(env, &undefined);
  napi_value argv[7];
  napi_create_int32(env, id, &argv[0]);
  napi_create_double(env, entry.source, &argv[1]);
  napi_create_double(env, entry.result_tag, &argv[2]);
  napi_create_double(env, entry.count, &argv[3]);
  napi_create_int32(env, entry.error, &argv[4]);
  argv[5] = data != nullptr ? data : undefined;
  napi_create_int32(env, entry.cancelled ? 1 : 0, &argv[6]);  // 1 = cancelled
  WriteStatusValues(env, entry.source, entry.result_tag, entry.count,
                    entry.error, entry.cancelled);
  napi_value result = nullptr;
  napi_status status = napi_make_callback(env, g->async_context, global,
                                          callback, 7, argv, &result);
  if (status == napi_pending_exception) {
    // Not swallowed: the exception becomes a process 'uncaughtException'.
    napi_value exception = nullptr;
    napi_get_and_clear_last_exception(env, &exception);
    napi_fatal_exception(env, exception);
  }
}

int DeliverCompleted(napi_env env) {
  int delivered = 0;
  while (g != nullptr && !g->completed.empty() && g->callback != nullptr) {
    int32_t id = g->completed.front();
    g->completed.pop_front();
    auto it = g->entries.find(id);
    if (it == g->entries.end() || !it->second->done)
      continue;  // test() took it
    std::unique_ptr<Entry> entry = std::move(it->second);
    g->entries.erase(it);
    Napi::HandleScope scope(env);
    napi_value data = nullptr;
    if (entry->data != nullptr)
      napi_get_reference_value(env, entry->data, &data);
    ReleaseRefs(env, *entry);
    Deliver(env, id, *entry, data);
    ++delivered;
  }
  return delivered;
}

// A receive from PROC_NULL completes at once with the standard's empty
// status (source PROC_NULL, tag ANY_TAG, count 0), here rather than through
// MPI: not every MPI fills that status for a nonblocking PROC_NULL receive,
// or reports its request complete to MPI_Testsome.
int32_t RegisterProcNullReceive(std::unique_ptr<Entry> entry) {
  int32_t id = NewId();
  Entry& stored = *entry;
  g->entries.emplace(id, std::move(entry));
  stored.source = MPI_PROC_NULL;
  stored.result_tag = MPI_ANY_TAG;
  stored.count = 0;
  stored.error = MPI_SUCCESS;
  stored.done = true;
  g->completed.push_back(id);
  KickPoller();  // delivered asynchronously, like any completion
  return id;
}

int32_t RegisterRequest(Napi::Env env, std::unique_ptr<Entry> entry,
                        MPI_Request request) {
  int32_t id = NewId();
  AddRequestSlot(id, *entry, request);
  g->entries.emplace(id, std::move(entry));
  (void)env;
  KickPoller();
  return id;
}

// ---- JS functions ---------------------------------------------------------

Napi::Value Isend(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  int dest = ArgInt(info, 2, "dest");
  CheckDest(env, dest, comm.Peers(), "dest");
  int tag = ArgInt(info, 3, "tag");
  CheckSendTag(env, tag, "tag");
  WireBuffer wire = MakeWire(env, view);
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(env,
           MPI_Isend(wire.buf, wire.count, wire.type, dest, tag, comm.comm,
                     &request),
           "MPI_Isend");
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kSend;
  entry->comm = comm.comm;
  entry->peer = dest;
  entry->tag = tag;
  entry->bytes = static_cast<double>(view.bytes);
  PinValue(env, *entry, view.value);
  return Napi::Number::New(env,
                           RegisterRequest(env, std::move(entry), request));
}

Napi::Value IsendParts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  std::vector<BufferView> parts = GetParts(env, info[1], "parts");
  int dest = ArgInt(info, 2, "dest");
  CheckDest(env, dest, comm.Peers(), "dest");
  int tag = ArgInt(info, 3, "tag");
  CheckSendTag(env, tag, "tag");
  WireBuffer wire = MakePartsWire(env, parts);
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(env,
           MPI_Isend(wire.buf, wire.count, wire.type, dest, tag, comm.comm,
                     &request),
           "MPI_Isend");
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kSend;
  entry->comm = comm.comm;
  entry->peer = dest;
  entry->tag = tag;
  entry->bytes = PartsBytes(parts);
  // Each view, not the array: the caller may reuse the array right away.
  for (const BufferView& part : parts) PinValue(env, *entry, part.value);
  return Napi::Number::New(env,
                           RegisterRequest(env, std::move(entry), request));
}

Napi::Value Irecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  BufferView view = GetView(env, info[1], "buf");
  int source = ArgInt(info, 2, "source");
  CheckSource(env, source, comm.Peers(), "source");
  int tag = ArgInt(info, 3, "tag");
  CheckRecvTag(env, tag, "tag");
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kRecv;
  entry->comm = comm.comm;
  entry->peer = source;
  entry->tag = tag;
  if (source == MPI_PROC_NULL) {
    return Napi::Number::New(env, RegisterProcNullReceive(std::move(entry)));
  }
  WireBuffer wire = MakeWire(env, view);
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(env,
           MPI_Irecv(wire.buf, wire.count, wire.type, source, tag, comm.comm,
                     &request),
           "MPI_Irecv");
  PinValue(env, *entry, view.value);
  return Napi::Number::New(env,
                           RegisterRequest(env, std::move(entry), request));
}

Napi::Value Ibarrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(env, MPI_Ibarrier(comm.comm, &request), "MPI_Ibarrier");
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kCollective;
  entry->comm = comm.comm;
  return Napi::Number::New(env,
                           RegisterRequest(env, std::move(entry), request));
}

}  // namespace

int32_t RegisterCollective(napi_env env, MPI_Comm comm, MPI_Request request,
                           const std::vector<napi_value>& pins,
                           std::shared_ptr<void> keep) {
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kCollective;
  entry->comm = comm;
  for (napi_value pin : pins) PinValue(env, *entry, pin);
  entry->keep = std::move(keep);
  return RegisterRequest(Napi::Env(env), std::move(entry), request);
}

namespace {

Napi::Value IprobeRecv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  int source = ArgInt(info, 1, "source");
  CheckSource(env, source, comm.Peers(), "source");
  int tag = ArgInt(info, 2, "tag");
  CheckRecvTag(env, tag, "tag");
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kProbeRecv;
  entry->comm = comm.comm;
  entry->peer = source;
  entry->tag = tag;
  if (source == MPI_PROC_NULL) {
    return Napi::Number::New(env, RegisterProcNullReceive(std::move(entry)));
  }
  int32_t id = NewId();
  g->entries.emplace(id, std::move(entry));
  g->probes.push_back(id);
  KickPoller();
  return Napi::Number::New(env, id);
}

// False while pending. Once complete: the status record is written, the
// request is forgotten (a queued delivery of it is skipped) and the result is
// true, or for a probe-receive its data, so polling alone completes every
// kind of request.
Napi::Value Test(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t id = 0;
  Entry& entry = GetEntry(env, info, &id);
  if (!entry.done && entry.kind == Kind::kProbeRecv && !entry.matched) {
    // Not matched yet: try now, so a message that has arrived is received
    // (MPI_Imrecv, tested below) without waiting for the poller.
    if (!MpiUsable() || !TryMatch(env, id, entry))
      return Napi::Boolean::New(env, false);
    KickPoller();
  }
  if (!entry.done) {
    RequireMpi(env);
    int flag = 0;
    MPI_Status status;
    int rc = MPI_Test(&g->requests[entry.index], &flag, &status);
    if (rc != MPI_SUCCESS && !flag &&
        g->requests[entry.index] != MPI_REQUEST_NULL) {
      ThrowMpiError(env, rc, "MPI_Test");
    }
    if (rc == MPI_SUCCESS && !flag) return Napi::Boolean::New(env, false);
    // Complete (possibly with an error, reported in the status like the
    // callback does).
    SetResult(entry, rc == MPI_SUCCESS ? &status : nullptr, rc);
    RemoveRequestSlot(entry.index);
    entry.has_request = false;
  }
  WriteStatusValues(env, entry.source, entry.result_tag, entry.count,
                    entry.error, entry.cancelled);
  napi_value data = nullptr;
  if (entry.data != nullptr) napi_get_reference_value(env, entry.data, &data);
  ReleaseRefs(env, entry);
  g->entries.erase(id);  // a queued delivery for it is skipped
  if (data != nullptr) return Napi::Value(env, data);
  return Napi::Boolean::New(env, true);
}

Napi::Value Cancel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t id = 0;
  Entry& entry = GetEntry(env, info, &id);
  if (entry.done) return env.Undefined();  // completed first: nothing to cancel
  if (entry.kind == Kind::kCollective) {
    ThrowError(env,
               "request " + std::to_string(id) +
                   " is a nonblocking collective: MPI cannot cancel those");
  }
  if (entry.kind == Kind::kProbeRecv) {
    // Once matched the message is being received and will complete normally.
    if (!entry.matched) {
      MarkCancelled(id, entry);
      KickPoller();  // delivered asynchronously, never from inside cancel()
    }
    return env.Undefined();
  }
  if (!entry.cancel_requested) {
    RequireMpi(env);
    CheckMpi(env, MPI_Cancel(&g->requests[entry.index]), "MPI_Cancel");
    entry.cancel_requested = true;
  }
  KickPoller();
  return env.Undefined();
}

Napi::Value SetCompletionCallback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) ThrowTypeError(env, "cb must be a function");
  if (g->callback != nullptr) napi_delete_reference(env, g->callback);
  g->callback = nullptr;
  napi_create_reference(env, info[0], 1, &g->callback);
  KickPoller();  // completions may be waiting for a callback
  return env.Undefined();
}

Napi::Value SetPollPolicy(const Napi::CallbackInfo& info) {
  double spin = ArgNonNegative(info, 0, "spinMicros");
  double max_sleep = ArgNonNegative(info, 1, "maxSleepMicros");
  SetPollerPolicy(static_cast<uint64_t>(spin),
                  static_cast<uint64_t>(max_sleep));
  return info.Env().Undefined();
}

Napi::Value PendingRequests(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(PendingCount()));
}

// MPI_Improbe and MPI_Testsome look for a match/completion first and only
// then run the progress engine, so a message that arrived while the loop
// slept would be seen one poll late (one sleep period of latency). MPI has no
// bare progress call; an MPI_Iprobe on COMM_SELF is the cheapest way to run
// it (it only peeks, never consumes anything).
void DriveProgress() {
  int flag = 0;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_SELF, &flag,
             MPI_STATUS_IGNORE);
}

}  // namespace

int32_t RegisterFileRequest(Napi::Env env, MPI_Request request,
                            napi_value pin) {
  auto entry = std::make_unique<Entry>();
  entry->kind = Kind::kFile;
  PinValue(env, *entry, pin);
  return RegisterRequest(env, std::move(entry), request);
}

int RunPoll(napi_env env) {
  if (g == nullptr) return 0;
  int progress = 0;
  if (MpiUsable() && (!g->probes.empty() || !g->requests.empty())) {
    DriveProgress();
    // Probes first: a freshly matched receive is then tested in this step.
    progress += PollProbes(env);
    progress += PollRequests();
  }
  progress += DeliverCompleted(env);
  return progress;
}

int32_t TrackRequest(napi_env env, bool is_send, MPI_Comm comm, int peer,
                     int tag, double bytes, const std::vector<napi_value>& pins,
                     MPI_Request request) {
  auto entry = std::make_unique<Entry>();
  entry->kind = is_send ? Kind::kSend : Kind::kRecv;
  entry->comm = comm;
  entry->peer = peer;
  entry->tag = tag;
  entry->bytes = bytes;
  for (napi_value pin : pins) PinValue(env, *entry, pin);
  return RegisterRequest(Napi::Env(env), std::move(entry), request);
}

int32_t TrackMatchedReceive(napi_env env, MPI_Comm comm, MPI_Message* message,
                            const MPI_Status& probe_status) {
  auto owned = std::make_unique<Entry>();
  Entry& entry = *owned;
  entry.kind = Kind::kProbeRecv;
  entry.comm = comm;
  entry.peer = probe_status.MPI_SOURCE;
  entry.tag = probe_status.MPI_TAG;
  int32_t id = NewId();
  g->entries.emplace(id, std::move(owned));
  StartMatchedReceive(env, id, entry, message, probe_status);
  KickPoller();
  return id;
}

size_t PendingCount() { return g == nullptr ? 0 : g->entries.size(); }

void CancelProbeReceivesOn(MPI_Comm comm) {
  if (g == nullptr) return;
  bool any = false;
  for (int32_t id : g->probes) {
    Entry* entry = Find(id);
    if (entry == nullptr || entry->done || entry->matched ||
        entry->comm != comm) {
      continue;
    }
    MarkCancelled(id, *entry);
    any = true;
  }
  if (any) KickPoller();
}

void CancelPendingRequests() {
  if (g == nullptr) return;
  for (size_t i = 0; i < g->requests.size(); ++i) {
    Entry* entry = Find(g->request_ids[i]);
    // MPI forbids cancelling or freeing nonblocking collectives: leave them.
    if (entry != nullptr && entry->kind == Kind::kCollective) continue;
    if (g->requests[i] == MPI_REQUEST_NULL) continue;
    MPI_Cancel(&g->requests[i]);
    MPI_Request_free(&g->requests[i]);
  }
  g->requests.clear();
  g->request_ids.clear();
  g->probes.clear();
  g->completed.clear();
}

void ReleasePendingRequests() {
  if (g == nullptr) return;
  for (auto& item : g->entries) ReleaseRefs(g->env, *item.second);
  g->entries.clear();
}

void DestroyRequests(napi_env env) {
  if (g == nullptr) return;
  for (auto& item : g->entries) ReleaseRefs(env, *item.second);
  g->entries.clear();
  if (g->callback != nullptr) napi_delete_reference(env, g->callback);
  if (g->async_context != nullptr) napi_async_destroy(env, g->async_context);
  delete g;
  g = nullptr;
}

void RegisterRequests(Napi::Env env, Napi::Object exports) {
  if (g == nullptr) {  // a second load in the same env shares the engine
    g = new Engine();
    g->env = env;
    Napi::Object resource = Napi::Object::New(env);
    napi_async_init(env, resource,
                    Napi::String::New(env, "mpi-loop:completion"),
                    &g->async_context);
    CreatePoller(env);
  }

  exports.Set("isend", Napi::Function::New(env, Isend, "isend"));
  exports.Set("isendParts", Napi::Function::New(env, IsendParts, "isendParts"));
  exports.Set("irecv", Napi::Function::New(env, Irecv, "irecv"));
  exports.Set("ibarrier", Napi::Function::New(env, Ibarrier, "ibarrier"));
  exports.Set("iprobeRecv", Napi::Function::New(env, IprobeRecv, "iprobeRecv"));
  exports.Set("test", Napi::Function::New(env, Test, "test"));
  exports.Set("cancel", Napi::Function::New(env, Cancel, "cancel"));
  exports.Set(
      "setCompletionCallback",
      Napi::Function::New(env, SetCompletionCallback, "setCompletionCallback"));
  exports.Set("setPollPolicy",
              Napi::Function::New(env, SetPollPolicy, "setPollPolicy"));
  exports.Set("pendingRequests",
              Napi::Function::New(env, PendingRequests, "pendingRequests"));
}

}  // namespace mpiloop
