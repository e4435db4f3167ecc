// Drives the nonblocking engine from the Node event loop: a uv_idle handle
// polls every loop iteration (spin phase) until `spinMicros` pass without a
// completion, then a SleepTimer polls with a period doubling from 50 us up to
// `maxSleepMicros`. Any completion, post or cancel returns to spinning. The
// handles are active and ref'd only while something is pending, so an idle
// process can exit.
#pragma once

#include <uv.h>

#include <cstdint>

#include "napi_include.h"
#include "sleep_timer.h"
#include "uv_handle.h"

namespace mpiloop {

class Poller {
 public:
  Poller(napi_env env, uv_loop_t* loop);
  ~Poller() { Close(); }
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void SetPolicy(uint64_t spin_micros, uint64_t max_sleep_micros);
  // New work or a completion: back to the spin phase (or stop if idle).
  void Kick();
  // Closes the handles; the poller does nothing afterwards.
  void Close();

 private:
  enum class Mode { kStopped, kSpin, kSleep };
  static void OnIdle(uv_idle_t* handle);
  static void OnSleep(void* self);
  void Step();
  void EnterSpin();
  void EnterSleep();
  void Stop();
  uint64_t FirstSleep() const;

  napi_env env_;
  UvHandle<uv_idle_t> idle_;
  SleepTimer sleep_;
  Mode mode_ = Mode::kStopped;
  bool closed_ = false;
  uint64_t spin_ns_ = 2000 * 1000;
  uint64_t max_sleep_us_ = 1000;
  uint64_t sleep_us_ = 50;
  uint64_t last_activity_ns_ = 0;
};

// The process-wide poller of the env that loaded the addon.
void CreatePoller(napi_env env);
void KickPoller();
void ClosePoller();
void DestroyPoller();
void SetPollerPolicy(uint64_t spin_micros, uint64_t max_sleep_micros);

}  // namespace mpiloop
