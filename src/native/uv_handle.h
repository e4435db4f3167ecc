// Owns one heap-allocated libuv handle. libuv closes handles asynchronously,
// so the memory is released by the close callback, never by the destructor.
// Only close on the loop thread while the loop is alive (env cleanup).
#pragma once

#include <uv.h>

namespace mpiloop {

template <typename T>
class UvHandle {
 public:
  UvHandle() = default;
  ~UvHandle() { Close(); }
  UvHandle(const UvHandle&) = delete;
  UvHandle& operator=(const UvHandle&) = delete;

  // Allocates the handle and runs init(loop, handle); false if init fails.
  template <typename Init>
  bool Open(uv_loop_t* loop, Init init, void* data) {
    Close();
    T* handle = new T();
    if (init(loop, handle) != 0) {
      delete handle;
      return false;
    }
    Base(handle)->data = data;
    handle_ = handle;
    return true;
  }

  T* get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }

  void Ref() {
    if (handle_ != nullptr) uv_ref(Base(handle_));
  }
  void Unref() {
    if (handle_ != nullptr) uv_unref(Base(handle_));
  }

  void Close() {
    if (handle_ == nullptr) return;
    uv_handle_t* handle = Base(handle_);
    handle_ = nullptr;
    if (!uv_is_closing(handle)) uv_close(handle, OnClose);
  }

 private:
  static uv_handle_t* Base(T* handle) {
    return reinterpret_cast<uv_handle_t*>(handle);
  }
  static void OnClose(uv_handle_t* handle) {
    delete reinterpret_cast<T*>(handle);
  }

  T* handle_ = nullptr;
};

}  // namespace mpiloop
