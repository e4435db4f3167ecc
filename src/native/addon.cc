// Module entry: builds the exports object and owns the env cleanup order.
#include "bsend_buffer.h"
#include "environment.h"
#include "errors.h"
#include "heartbeat.h"
#include "modules.h"
#include "ops.h"
#include "poller.h"
#include "requests.h"
#include "status.h"
#include "watchdog.h"

namespace mpiloop {
namespace {

// MPI is process-wide and the poller lives on one event loop, so only one
// Node environment (the first to load the addon) may use it at a time.
napi_env g_owner = nullptr;

void Cleanup(napi_env env) {
  // Finalize first (it cancels requests and closes the poller), then drop
  // every JS reference while the env is still alive.
  Napi::HandleScope scope(env);
  FinalizeAtCleanup(Napi::Env(env));
  DestroyRequests(env);
  ReleasePersistentRequests(env);
  ReleaseAttachedBuffer(env);
  ReleaseUserOps();
  DestroyPoller();
  StopWatchdog();
  StopLifeline();
  ReleaseStatusBuffer(env);
  ReleaseErrorConstructor(env);
  g_owner = nullptr;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  if (g_owner != nullptr && g_owner != static_cast<napi_env>(env)) {
    throw Napi::Error::New(
        env,
        "mpi-loop: the native addon is already in use by another thread "
        "(MPI is process-wide; load it from one thread only)");
  }
  bool first_load = g_owner == nullptr;
  g_owner = env;
  RegisterConstants(env, exports);
  RegisterErrors(env, exports);
  RegisterEnvironment(env, exports);
  RegisterStatus(env, exports);
  RegisterCommunicators(env, exports);
  RegisterPointToPoint(env, exports);
  RegisterRequests(env, exports);
  RegisterCollectives(env, exports);
  RegisterNonblockingCollectives(env, exports);
  RegisterUserOps(env, exports);
  RegisterWatchdog(env, exports);
  RegisterHeartbeat(env, exports);
  RegisterSpawn(env, exports);
  RegisterGroups(env, exports);
  RegisterInfo(env, exports);
  RegisterCommManagement(env, exports);
  RegisterIntercomm(env, exports);
  RegisterTopologies(env, exports);
  RegisterNeighbor(env, exports);
  RegisterErrorClasses(env, exports);
  RegisterSendModes(env, exports);
  RegisterBsendBuffer(env, exports);
  RegisterPersistentRequests(env, exports);
  RegisterMatchedProbe(env, exports);
  RegisterReceiveMemory(env, exports);
  RegisterDatatypes(env, exports);
  RegisterWindows(env, exports);
  RegisterFiles(env, exports);
  RegisterSharedWords(env, exports);
  // Loading the same file twice in one env re-runs Init: one hook only.
  if (first_load) {
    napi_add_env_cleanup_hook(
        env, [](void* arg) { Cleanup(static_cast<napi_env>(arg)); },
        static_cast<napi_env>(env));
  }
  return exports;
}

}  // namespace
}  // namespace mpiloop

// NODE_API_MODULE pastes the name into an identifier: no qualified names.
static Napi::Object InitMpiLoop(Napi::Env env, Napi::Object exports) {
  return mpiloop::Init(env, exports);
}

NODE_API_MODULE(mpi_loop, InitMpiLoop)
