// A one-shot wake-up of the Node loop after a delay in microseconds.
// uv_timer counts whole milliseconds, too coarse for the poller's 50 us first
// sleep, so on Linux a timerfd watched by a uv_poll handle is used (the loop
// wakes from epoll at the exact deadline); elsewhere a uv_timer rounds the
// delay up to whole milliseconds.
#pragma once

#include <uv.h>

#include <cstdint>

#include "uv_handle.h"

namespace mpiloop {

class SleepTimer {
 public:
  using Callback = void (*)(void* data);

  bool Open(uv_loop_t* loop, Callback callback, void* data);
  void Start(uint64_t micros);
  void Stop();
  void Ref();
  void Unref();
  void Close();

 private:
  Callback callback_ = nullptr;
  void* data_ = nullptr;
  bool active_ = false;
#ifdef __linux__
  // uv_poll_t first, so the handle pointer is the object pointer.
  struct FdPoll {
    uv_poll_t poll;
    int fd = -1;
    ~FdPoll();
  };
  static void OnReadable(uv_poll_t* handle, int status, int events);
  UvHandle<FdPoll> handle_;
#else
  static void OnTimer(uv_timer_t* handle);
  UvHandle<uv_timer_t> handle_;
#endif
};

}  // namespace mpiloop
