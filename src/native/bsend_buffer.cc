// attachBuffer(view) / detachBuffer(): MPI_Buffer_attach and _detach.
#include "bsend_buffer.h"

#include <climits>
#include <string>

#include "blocking.h"
#include "datatype.h"
#include "environment.h"
#include "errors.h"
#include "modules.h"

namespace mpiloop {
namespace {

napi_ref g_attached = nullptr;
double g_attached_bytes = 0;

Napi::Value AttachBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  BufferView view = GetView(env, info[0], "buffer");
  if (g_attached != nullptr) {
    ThrowError(env, "attachBuffer: a buffer of " +
                        FormatNumber(g_attached_bytes) +
                        " bytes is already attached; detachBuffer() first");
  }
  if (view.bytes > static_cast<size_t>(INT_MAX)) {
    ThrowRangeError(env, "attachBuffer: the buffer is " +
                             std::to_string(view.bytes) +
                             " bytes; MPI allows at most 2147483647");
  }
  CheckMpi(env, MPI_Buffer_attach(view.data, static_cast<int>(view.bytes)),
           "MPI_Buffer_attach");
  napi_create_reference(env, view.value, 1, &g_attached);
  g_attached_bytes = static_cast<double>(view.bytes);
  return env.Undefined();
}

// Waits until every buffered message has been sent, then returns the view
// (undefined when none was attached).
Napi::Value DetachBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  if (g_attached == nullptr) return env.Undefined();
  void* data = nullptr;
  int size = 0;
  RunBlocking(env, "MPI_Buffer_detach",
              [&] { return MPI_Buffer_detach(&data, &size); });
  napi_value view = nullptr;
  napi_get_reference_value(env, g_attached, &view);
  ReleaseAttachedBuffer(env);
  return view == nullptr ? env.Undefined() : Napi::Value(env, view);
}

}  // namespace

double AttachedBufferBytes() { return g_attached_bytes; }

void ReleaseAttachedBuffer(napi_env env) {
  if (g_attached != nullptr) napi_delete_reference(env, g_attached);
  g_attached = nullptr;
  g_attached_bytes = 0;
}

void RegisterBsendBuffer(Napi::Env env, Napi::Object exports) {
  exports.Set("attachBuffer",
              Napi::Function::New(env, AttachBuffer, "attachBuffer"));
  exports.Set("detachBuffer",
              Napi::Function::New(env, DetachBuffer, "detachBuffer"));
}

}  // namespace mpiloop
