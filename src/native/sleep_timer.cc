#include "sleep_timer.h"

#ifdef __linux__
#include <sys/timerfd.h>
#include <unistd.h>
#endif

namespace mpiloop {

#ifdef __linux__

SleepTimer::FdPoll::~FdPoll() {
  if (fd >= 0) ::close(fd);
}

bool SleepTimer::Open(uv_loop_t* loop, Callback callback, void* data) {
  callback_ = callback;
  data_ = data;
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) return false;
  return handle_.Open(
      loop,
      [fd](uv_loop_t* l, FdPoll* p) {
        p->fd = fd;  // owned by the handle from here on, even if init fails
        return uv_poll_init(l, &p->poll, fd);
      },
      this);
}

void SleepTimer::Start(uint64_t micros) {
  if (!handle_) return;
  itimerspec spec = {};
  spec.it_value.tv_sec = static_cast<time_t>(micros / 1000000);
  spec.it_value.tv_nsec = static_cast<long>((micros % 1000000) * 1000);
  if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) {
    spec.it_value.tv_nsec = 1;  // all-zero would disarm
  }
  timerfd_settime(handle_.get()->fd, 0, &spec, nullptr);
  if (!active_) {
    uv_poll_start(&handle_.get()->poll, UV_READABLE, OnReadable);
    active_ = true;
  }
}

void SleepTimer::Stop() {
  if (!handle_ || !active_) return;
  itimerspec spec = {};
  timerfd_settime(handle_.get()->fd, 0, &spec, nullptr);  // disarm, reset count
  uv_poll_stop(&handle_.get()->poll);
  active_ = false;
}

void SleepTimer::OnReadable(uv_poll_t* handle, int /*status*/, int /*events*/) {
  SleepTimer* self = static_cast<SleepTimer*>(handle->data);
  uint64_t expirations = 0;
  // Level-triggered: drain the expiration count or epoll reports it again.
  ssize_t n = ::read(reinterpret_cast<FdPoll*>(handle)->fd, &expirations,
                     sizeof expirations);
  if (n != static_cast<ssize_t>(sizeof expirations)) return;  // spurious
  self->callback_(self->data_);
}

#else  // !__linux__

bool SleepTimer::Open(uv_loop_t* loop, Callback callback, void* data) {
  callback_ = callback;
  data_ = data;
  return handle_.Open(loop, uv_timer_init, this);
}

void SleepTimer::Start(uint64_t micros) {
  if (!handle_) return;
  uint64_t millis = (micros + 999) / 1000;
  uv_timer_start(handle_.get(), OnTimer, millis == 0 ? 1 : millis, 0);
  active_ = true;
}

void SleepTimer::Stop() {
  if (!handle_ || !active_) return;
  uv_timer_stop(handle_.get());
  active_ = false;
}

void SleepTimer::OnTimer(uv_timer_t* handle) {
  SleepTimer* self = static_cast<SleepTimer*>(handle->data);
  self->active_ = false;
  self->callback_(self->data_);
}

#endif

void SleepTimer::Ref() { handle_.Ref(); }
void SleepTimer::Unref() { handle_.Unref(); }

void SleepTimer::Close() {
  active_ = false;
  handle_.Close();
}

}  // namespace mpiloop
