#include "watch.h"

#include <vector>

#include "args.h"
#include "comm_table.h"
#include "modules.h"

namespace mpiloop {
namespace {

int g_watch_handle = -1;
MPI_Comm g_watch_comm = MPI_COMM_NULL;
int g_watch_tag = 0;
std::vector<napi_ref> g_pins;

void Pin(napi_env env, std::initializer_list<napi_value> keep) {
  for (napi_value value : keep) {
    if (value == nullptr) continue;
    napi_ref ref = nullptr;
    if (napi_create_reference(env, value, 1, &ref) == napi_ok) {
      g_pins.push_back(ref);
    }
  }
}

Napi::Value SetWatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info[0].IsNumber() && info[0].As<Napi::Number>().DoubleValue() == -1) {
    ClearWatch();
    return env.Undefined();
  }
  CommEntry comm = GetComm(env, info[0]);
  int tag = ArgInt(info, 1, "tag");
  CheckRecvTag(env, tag, "tag");
  g_watch_handle = comm.handle;
  g_watch_comm = comm.comm;
  g_watch_tag = tag;
  return env.Undefined();
}

}  // namespace

bool WatchActive() { return g_watch_handle >= 0; }

void ClearWatch() {
  g_watch_handle = -1;
  g_watch_comm = MPI_COMM_NULL;
}

void ForgetWatchOn(int handle) {
  if (handle == g_watch_handle) ClearWatch();
}

void ReleaseWatchPins(napi_env env) {
  for (napi_ref ref : g_pins) napi_delete_reference(env, ref);
  g_pins.clear();
}

void CheckWatch(Napi::Env env, std::initializer_list<napi_value> keep) {
  if (!WatchActive()) return;
  int flag = 0;
  MPI_Status status;
  if (MPI_Iprobe(MPI_ANY_SOURCE, g_watch_tag, g_watch_comm, &flag, &status) !=
          MPI_SUCCESS ||
      !flag) {
    return;
  }
  // The report stays queued for whoever handles the failure.
  Pin(env, keep);
  ThrowWatchError(env, status.MPI_SOURCE, status.MPI_TAG);
}

void WaitWatched(Napi::Env env, MPI_Request* requests, int n,
                 MPI_Status* statuses, std::initializer_list<napi_value> keep,
                 const char* function) {
  MPI_Status local[4];
  MPI_Status* out = statuses != nullptr ? statuses : local;
  for (uint64_t i = 1;; ++i) {
    int flag = 0;
    int rc = n == 1 ? MPI_Test(&requests[0], &flag, &out[0])
                    : MPI_Testall(n, requests, &flag, out);
    if (rc != MPI_SUCCESS) {
      if (rc == MPI_ERR_IN_STATUS) {
        for (int k = 0; k < n; ++k) {
          if (out[k].MPI_ERROR != MPI_SUCCESS && out[k].MPI_ERROR != MPI_ERR_PENDING) {
            rc = out[k].MPI_ERROR;
            break;
          }
        }
      }
      Pin(env, keep);  // other requests of the batch may still be running
      ThrowMpiError(env, rc, function);
    }
    if (flag) return;
    if (i % 64 == 0) CheckWatch(env, keep);
  }
}

void RegisterWatch(Napi::Env env, Napi::Object exports) {
  exports.Set("setWatch", Napi::Function::New(env, SetWatch, "setWatch"));
}

}  // namespace mpiloop
