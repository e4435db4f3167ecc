// Blocking MPI calls, and the marker the failure watchdog (watchdog.h) reads
// to know whether the main thread is stuck inside one. Every blocking call
// runs as the plain MPI call (the fast path); the marker costs two relaxed
// stores, so nothing on the MPI progress path changes. The one exception is
// a host with more ranks than cores under an MPI whose blocking calls spin
// without ever giving the core away (MPICH's ch4): there the calls that have
// a nonblocking twin wait by testing it and yielding between tests.
#pragma once

#include <sched.h>

#include <atomic>
#include <cstdint>

#include "errors.h"
#include "napi_include.h"

namespace mpiloop {

// Bumped on entry to and on exit from each blocking call: odd while the main
// thread is inside one, and an unchanged odd value means the same call.
extern std::atomic<uint64_t> g_blocking_epoch;

class BlockingSection {
 public:
  BlockingSection() { Bump(); }
  ~BlockingSection() { Bump(); }
  BlockingSection(const BlockingSection&) = delete;
  BlockingSection& operator=(const BlockingSection&) = delete;

 private:
  // Only the main thread writes, so load + store needs no read-modify-write.
  static void Bump() {
    g_blocking_epoch.store(g_blocking_epoch.load(std::memory_order_relaxed) + 1,
                           std::memory_order_relaxed);
  }
};

// Runs blocking() (which returns an MPI return code) inside the marker and
// throws MPIError on failure.
template <typename Blocking>
void RunBlocking(Napi::Env env, const char* name, Blocking blocking) {
  int rc;
  {
    BlockingSection section;
    rc = blocking();
  }
  CheckMpi(env, rc, name);
}

// Set once when MPI starts (initialize's second argument).
extern bool g_yielding_waits;

// Polls poll(&done) (an MPI return code; done set once the operation
// completed) until done or an error, yielding the core between polls.
template <typename Poll>
int PollYielding(Poll poll) {
  for (;;) {
    int done = 0;
    int rc = poll(&done);
    if (rc != MPI_SUCCESS || done) return rc;
    sched_yield();
  }
}

// A poll that starts a nonblocking operation (start(&request), an MPI return
// code) at its first call, then tests it.
template <typename Start>
auto StartThenTest(Start start, MPI_Status* status = MPI_STATUS_IGNORE) {
  return [start, status, request = MPI_REQUEST_NULL,
          started = false](int* done) mutable {
    if (!started) {
      started = true;
      int rc = start(&request);
      if (rc != MPI_SUCCESS) return rc;
    }
    return MPI_Test(&request, done, status);
  };
}

// blocking() inside the marker, or with yielding waits poll (as above);
// returns the MPI return code.
template <typename Blocking, typename Poll>
int CallWaiting(Blocking blocking, Poll poll) {
  BlockingSection section;
  return g_yielding_waits ? PollYielding(poll) : blocking();
}

// RunBlocking for a call with a nonblocking twin: throws MPIError on failure.
template <typename Blocking, typename Poll>
void RunWaiting(Napi::Env env, const char* name, Blocking blocking, Poll poll) {
  CheckMpi(env, CallWaiting(blocking, poll), name);
}

}  // namespace mpiloop
