#include "poller.h"

#include <algorithm>

#include "requests.h"

namespace mpiloop {
namespace {

constexpr uint64_t kFirstSleepMicros = 50;
Poller* g_poller = nullptr;

}  // namespace

Poller::Poller(napi_env env, uv_loop_t* loop) : env_(env) {
  idle_.Open(loop, uv_idle_init, this);
  sleep_.Open(loop, OnSleep, this);
  idle_.Unref();
  sleep_.Unref();
}

void Poller::SetPolicy(uint64_t spin_micros, uint64_t max_sleep_micros) {
  spin_ns_ = spin_micros * 1000;
  max_sleep_us_ = std::max<uint64_t>(max_sleep_micros, 1);
  // A new policy takes effect now: spin again, then back off under the new
  // bound (the event loop uses this to wake a deeply sleeping worker).
  Kick();
}

uint64_t Poller::FirstSleep() const {
  return std::min(kFirstSleepMicros, max_sleep_us_);
}

void Poller::Kick() {
  if (closed_) return;
  last_activity_ns_ = uv_hrtime();
  sleep_us_ = FirstSleep();
  if (PendingCount() == 0) {
    Stop();
    return;
  }
  EnterSpin();
}

void Poller::Close() {
  if (closed_) return;
  Stop();
  closed_ = true;
  idle_.Close();
  sleep_.Close();
}

void Poller::OnIdle(uv_idle_t* handle) {
  static_cast<Poller*>(handle->data)->Step();
}

void Poller::OnSleep(void* self) { static_cast<Poller*>(self)->Step(); }

void Poller::Step() {
  if (closed_) return;
  int progress = 0;
  {
    Napi::HandleScope scope(env_);
    try {
      progress = RunPoll(env_);
    } catch (const Napi::Error& error) {
      // Nothing above us can catch it: report it as uncaught.
      napi_fatal_exception(env_, error.Value());
    } catch (...) {
    }
  }
  // A completion callback may have finalized MPI (closing us) or changed the
  // mode through Kick(); decide from the current state.
  if (closed_) return;
  if (PendingCount() == 0) {
    Stop();
    return;
  }
  uint64_t now = uv_hrtime();
  if (progress > 0) {
    last_activity_ns_ = now;
    sleep_us_ = FirstSleep();
    EnterSpin();
    return;
  }
  if (mode_ == Mode::kSpin) {
    if (now - last_activity_ns_ >= spin_ns_) EnterSleep();
  } else if (mode_ == Mode::kSleep) {
    sleep_us_ = std::min(sleep_us_ * 2, max_sleep_us_);
    sleep_.Start(sleep_us_);
  }
}

void Poller::EnterSpin() {
  if (mode_ == Mode::kSpin) return;
  sleep_.Stop();
  sleep_.Unref();
  if (idle_) uv_idle_start(idle_.get(), OnIdle);
  idle_.Ref();
  mode_ = Mode::kSpin;
}

void Poller::EnterSleep() {
  if (idle_) uv_idle_stop(idle_.get());
  idle_.Unref();
  sleep_us_ = FirstSleep();
  sleep_.Ref();
  sleep_.Start(sleep_us_);
  mode_ = Mode::kSleep;
}

void Poller::Stop() {
  if (idle_) uv_idle_stop(idle_.get());
  idle_.Unref();
  sleep_.Stop();
  sleep_.Unref();
  mode_ = Mode::kStopped;
}

void CreatePoller(napi_env env) {
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) return;
  g_poller = new Poller(env, loop);
}

void KickPoller() {
  if (g_poller != nullptr) g_poller->Kick();
}

void ClosePoller() {
  if (g_poller != nullptr) g_poller->Close();
}

void DestroyPoller() {
  delete g_poller;  // closes the handles if finalize() did not
  g_poller = nullptr;
}

void SetPollerPolicy(uint64_t spin_micros, uint64_t max_sleep_micros) {
  if (g_poller != nullptr) g_poller->SetPolicy(spin_micros, max_sleep_micros);
}

}  // namespace mpiloop
