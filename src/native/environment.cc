#include "environment.h"

#include <dlfcn.h>
#include <unistd.h>
#include <uv.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "args.h"
#include "blocking.h"
#include "comm_table.h"
#include "errors.h"
#include "heartbeat.h"
#include "modules.h"
#include "poller.h"
#include "requests.h"
#include "watchdog.h"

namespace mpiloop {

bool g_yielding_waits = false;

namespace {

enum class State { kNotInitialized, kReady, kFinalized };

State g_state = State::kNotInitialized;
bool g_initialized_by_us = false;
int g_provided = MPI_THREAD_SINGLE;
int g_tag_ub = 32767;

// Open MPI loads its components with dlopen and they expect libmpi's symbols
// in the global namespace. Node loads this addon (and with it libmpi) with
// RTLD_LOCAL, so reopen libmpi as RTLD_GLOBAL before MPI_Init. RTLD_NOLOAD:
// only promote the copy already mapped, never load a second one. The handle
// is kept open on purpose for the life of the process.
void PromoteLibmpiToGlobal() {
  Dl_info info;
  void* symbol =
      reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(&MPI_Init));
  if (dladdr(symbol, &info) == 0 || info.dli_fname == nullptr) return;
  dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
}

void ReadTagUpperBound() {
  void* value = nullptr;
  int flag = 0;
  if (MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &value, &flag) ==
          MPI_SUCCESS &&
      flag && value != nullptr) {
    g_tag_ub = *static_cast<int*>(value);
  }
}

bool IsThreadLevel(int level) {
  return level == MPI_THREAD_SINGLE || level == MPI_THREAD_FUNNELED ||
         level == MPI_THREAD_SERIALIZED || level == MPI_THREAD_MULTIPLE;
}

// For calls that stay valid after finalize (queryThread).
void RequireInitializedOnce(Napi::Env env) {
  if (g_state == State::kNotInitialized) {
    ThrowError(env, "MPI is not initialized: call initialize() first");
  }
}

Napi::Value Initialize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int requested = ArgInt(info, 0, "requestedThreadLevel");
  if (!IsThreadLevel(requested)) {
    ThrowRangeError(env, "requestedThreadLevel must be one of THREAD_SINGLE (" +
                             std::to_string(MPI_THREAD_SINGLE) +
                             ") .. THREAD_MULTIPLE (" +
                             std::to_string(MPI_THREAD_MULTIPLE) + "), got " +
                             std::to_string(requested));
  }
  if (g_state == State::kReady) return Napi::Number::New(env, g_provided);
  g_yielding_waits = info.Length() > 1 && info[1].ToBoolean().Value();
  int flag = 0;
  MPI_Finalized(&flag);
  if (g_state == State::kFinalized || flag) {
    ThrowError(env, "MPI has been finalized and cannot be initialized again");
  }
  MPI_Initialized(&flag);
  if (!flag) {
    PromoteLibmpiToGlobal();
    int provided = MPI_THREAD_SINGLE;
    CheckMpi(env, MPI_Init_thread(nullptr, nullptr, requested, &provided),
             "MPI_Init_thread");
    g_provided = provided;
    g_initialized_by_us = true;
  } else {
    // Someone else in this process initialised MPI: adopt it.
    CheckMpi(env, MPI_Query_thread(&g_provided), "MPI_Query_thread");
  }
  // An MPI error must surface as a JS exception, never abort the process.
  CheckMpi(env, MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN),
           "MPI_Comm_set_errhandler");
  CheckMpi(env, MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN),
           "MPI_Comm_set_errhandler");
  ReadTagUpperBound();
  InitCommTable(env);
  g_state = State::kReady;
  return Napi::Number::New(env, g_provided);
}

Napi::Value Finalize(const Napi::CallbackInfo& info) {
  FinalizeMpi(info.Env());
  return info.Env().Undefined();
}

Napi::Value IsInitialized(const Napi::CallbackInfo& info) {
  int flag = 0;
  MPI_Initialized(&flag);
  return Napi::Boolean::New(info.Env(), flag != 0);
}

Napi::Value IsFinalized(const Napi::CallbackInfo& info) {
  int flag = 0;
  MPI_Finalized(&flag);
  return Napi::Boolean::New(info.Env(), flag != 0);
}

Napi::Value QueryThread(const Napi::CallbackInfo& info) {
  RequireInitializedOnce(info.Env());
  return Napi::Number::New(info.Env(), g_provided);
}

Napi::Value Abort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int code = ArgInt(info, 1, "code");
  // Abort must end the job even when handed a stale handle: fall back to
  // COMM_WORLD rather than throwing.
  if (MpiUsable()) {
    MPI_Comm comm = MPI_COMM_WORLD;
    if (info[0].IsNumber()) {
      double handle = info[0].As<Napi::Number>().DoubleValue();
      MPI_Comm found = LookupComm(static_cast<int>(handle));
      if (found != MPI_COMM_NULL && handle == static_cast<int>(handle)) {
        comm = found;
      }
    }
    fflush(stdout);
    fflush(stderr);
    MPI_Abort(comm, code);
  }
  // Not initialised (or MPI_Abort returned): there is no job to abort, so
  // end this process with the code.
  fflush(stdout);
  fflush(stderr);
  _exit(code & 0xff);
  return env.Undefined();
}

// Open MPI's clock only runs between MPI_Init and MPI_Finalize (MPI_Wtime
// returns 0 outside), so outside that window the timers fall back to the
// process's monotonic clock. Only differences of wtime() values are
// meaningful, and not across initialize()/finalize().
Napi::Value Wtime(const Napi::CallbackInfo& info) {
  if (MpiUsable()) return Napi::Number::New(info.Env(), MPI_Wtime());
  return Napi::Number::New(info.Env(), static_cast<double>(uv_hrtime()) / 1e9);
}

Napi::Value Wtick(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), MpiUsable() ? MPI_Wtick() : 1e-9);
}

Napi::Value ProcessorName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  char name[MPI_MAX_PROCESSOR_NAME + 1] = {0};
  int length = 0;
  CheckMpi(env, MPI_Get_processor_name(name, &length),
           "MPI_Get_processor_name");
  return Napi::String::New(env, name, static_cast<size_t>(length));
}

Napi::Value LibraryVersion(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  char text[MPI_MAX_LIBRARY_VERSION_STRING + 1] = {0};
  int length = 0;
  CheckMpi(env, MPI_Get_library_version(text, &length),
           "MPI_Get_library_version");
  // Open MPI counts the terminating NUL and ends with a newline: trim both.
  std::string version(text, static_cast<size_t>(length));
  while (!version.empty() &&
         (version.back() == '\0' || version.back() == '\n')) {
    version.pop_back();
  }
  return Napi::String::New(env, version);
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int major = 0, minor = 0;
  CheckMpi(env, MPI_Get_version(&major, &minor), "MPI_Get_version");
  Napi::Array result = Napi::Array::New(env, 2);
  result.Set(uint32_t{0}, Napi::Number::New(env, major));
  result.Set(uint32_t{1}, Napi::Number::New(env, minor));
  return result;
}

Napi::Value ErrorString(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int code = ArgInt(info, 0, "code");
  RequireMpi(env);
  char text[MPI_MAX_ERROR_STRING + 1] = {0};
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) {
    ThrowRangeError(
        env, "code " + std::to_string(code) + " is not a valid MPI error code");
  }
  return Napi::String::New(env, text, static_cast<size_t>(length));
}

Napi::Value ErrorClass(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int code = ArgInt(info, 0, "code");
  RequireMpi(env);
  int error_class = 0;
  if (MPI_Error_class(code, &error_class) != MPI_SUCCESS) {
    ThrowRangeError(
        env, "code " + std::to_string(code) + " is not a valid MPI error code");
  }
  return Napi::Number::New(env, error_class);
}

}  // namespace

bool MpiUsable() { return g_state == State::kReady; }

void RequireMpi(Napi::Env env) {
  if (g_state == State::kReady) return;
  if (g_state == State::kNotInitialized) {
    ThrowError(env, "MPI is not initialized: call initialize() first");
  }
  ThrowError(env, "MPI has been finalized");
}

int TagUpperBound() { return g_tag_ub; }

void FinalizeMpi(Napi::Env env) {
  if (g_state != State::kReady) return;
  int flag = 0;
  MPI_Finalized(&flag);
  if (flag) {
    g_state = State::kFinalized;
    return;
  }
  // Cancel/free what is still pending; the buffers stay referenced until
  // MPI_Finalize has returned, so MPI never writes into collected memory.
  CancelPendingRequests();
  ClosePoller();
  StopWatchdog();
  StopLifeline();
  ClearCommTable();
  int rc = MPI_Finalize();
  g_state = State::kFinalized;
  ReleasePendingRequests();
  CheckMpi(env, rc, "MPI_Finalize");
}

void FinalizeAtCleanup(Napi::Env env) {
  if (!g_initialized_by_us) return;
  try {
    FinalizeMpi(env);
  } catch (const Napi::Error&) {
    // Nothing left to report to at teardown.
  }
}

void RegisterEnvironment(Napi::Env env, Napi::Object exports) {
  exports.Set("initialize", Napi::Function::New(env, Initialize, "initialize"));
  exports.Set("finalize", Napi::Function::New(env, Finalize, "finalize"));
  exports.Set("isInitialized",
              Napi::Function::New(env, IsInitialized, "isInitialized"));
  exports.Set("isFinalized",
              Napi::Function::New(env, IsFinalized, "isFinalized"));
  exports.Set("queryThread",
              Napi::Function::New(env, QueryThread, "queryThread"));
  exports.Set("abort", Napi::Function::New(env, Abort, "abort"));
  exports.Set("wtime", Napi::Function::New(env, Wtime, "wtime"));
  exports.Set("wtick", Napi::Function::New(env, Wtick, "wtick"));
  exports.Set("processorName",
              Napi::Function::New(env, ProcessorName, "processorName"));
  exports.Set("libraryVersion",
              Napi::Function::New(env, LibraryVersion, "libraryVersion"));
  exports.Set("version", Napi::Function::New(env, Version, "version"));
  exports.Set("errorString",
              Napi::Function::New(env, ErrorString, "errorString"));
  exports.Set("errorClass", Napi::Function::New(env, ErrorClass, "errorClass"));
}

}  // namespace mpiloop
