// Blocking MPI calls, and the marker the failure watchdog (watchdog.h) reads
// to know whether the main thread is stuck inside one. Every blocking call
// runs as the plain MPI call (the fast path); the marker costs two relaxed
// stores, so nothing on the MPI progress path changes.
#pragma once

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

}  // namespace mpiloop
