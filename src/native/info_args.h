// MPI_Info from JS: an array of [key, value] string pairs (or null /
// undefined for MPI_INFO_NULL), owned by a handle that frees it on scope
// exit.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

class InfoHandle {
 public:
  InfoHandle() = default;
  ~InfoHandle() {
    if (info_ != MPI_INFO_NULL) MPI_Info_free(&info_);
  }
  InfoHandle(InfoHandle&& other) noexcept : info_(other.info_) {
    other.info_ = MPI_INFO_NULL;
  }
  InfoHandle(const InfoHandle&) = delete;
  InfoHandle& operator=(const InfoHandle&) = delete;
  InfoHandle& operator=(InfoHandle&& other) noexcept {
    if (this != &other) {
      if (info_ != MPI_INFO_NULL) MPI_Info_free(&info_);
      info_ = other.info_;
      other.info_ = MPI_INFO_NULL;
    }
    return *this;
  }

  MPI_Info get() const { return info_; }
  MPI_Info* out() { return &info_; }

 private:
  MPI_Info info_ = MPI_INFO_NULL;
};

// TypeError naming `name` unless value is null/undefined or an array of
// [key, value] string pairs. An empty array gives MPI_INFO_NULL.
InfoHandle ArgInfo(Napi::Env env, Napi::Value value, const char* name);

}  // namespace mpiloop
