// The remote-failure watch. While set, blocking operations run as their
// nonblocking MPI-3 form plus a test loop that also probes (ANY_SOURCE,
// watch tag) on the watch communicator, so a rank stuck in a collective can
// learn that another rank failed instead of hanging forever.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "errors.h"
#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

bool WatchActive();
void ClearWatch();
// The communicator `handle` was freed: clear the watch if it used it.
void ForgetWatchOn(int handle);
// Drops the references that keep buffers of abandoned operations alive.
void ReleaseWatchPins(napi_env env);

// Throws EWATCH if a failure report is pending. Before throwing, the values
// in `keep` (buffers, count arrays) are referenced for good: the abandoned
// operation may still write into them.
void CheckWatch(Napi::Env env, std::initializer_list<napi_value> keep);

// Waits for n (<= 4) requests with MPI_Test/MPI_Testall, checking the watch
// every 64 iterations. statuses may be null.
void WaitWatched(Napi::Env env, MPI_Request* requests, int n,
                 MPI_Status* statuses, std::initializer_list<napi_value> keep,
                 const char* function);

// Calls done() until it returns true, checking the watch every 64 calls.
template <typename Done>
void SpinWatched(Napi::Env env, Done done,
                 std::initializer_list<napi_value> keep) {
  for (uint64_t i = 1; !done(); ++i) {
    if (i % 64 == 0) CheckWatch(env, keep);
  }
}

// The common shape of a blocking operation: the plain blocking call when no
// watch is set (fastest path), else start() + WaitWatched.
template <typename Blocking, typename Start>
void RunBlocking(Napi::Env env, const char* blocking_name, Blocking blocking,
                 const char* start_name, Start start,
                 std::initializer_list<napi_value> keep,
                 MPI_Status* status = nullptr) {
  if (!WatchActive()) {
    CheckMpi(env, blocking(), blocking_name);
    return;
  }
  MPI_Request request = MPI_REQUEST_NULL;
  CheckMpi(env, start(&request), start_name);
  WaitWatched(env, &request, 1, status, keep, start_name);
}

}  // namespace mpiloop
