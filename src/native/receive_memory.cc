// receiveMemory(bytes): an ArrayBuffer for a large incoming buffer, whose
// memory goes back to a small pool when the ArrayBuffer is garbage-collected
// instead of back to the system. Fresh memory costs a page fault per 4 KiB
// page on first touch, about as much as receiving into it; a block that has
// been used before is resident already. Only memory whose ArrayBuffer is gone
// comes back, so no value ever shares memory with another.
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "args.h"
#include "errors.h"
#include "modules.h"

namespace mpiloop {
namespace {

// Idle blocks kept for reuse, at most this many bytes in all (the oldest go
// first). Blocks in use by live ArrayBuffers do not count.
constexpr size_t kPoolMaxBytes = size_t{96} << 20;
constexpr size_t kPageBytes = 4096;

struct Block {
  void* data;
  size_t capacity;
};

struct Pool {
  std::mutex mutex;
  std::vector<Block> idle;  // oldest first
  size_t idle_bytes = 0;
};

// Never destroyed: finalizers of ArrayBuffers may run during teardown.
Pool& ThePool() {
  static Pool* pool = new Pool();
  return *pool;
}

size_t RoundUp(size_t bytes) {
  return (bytes + kPageBytes - 1) / kPageBytes * kPageBytes;
}

// An idle block of exactly this capacity, or a new one.
void* Take(size_t capacity) {
  Pool& pool = ThePool();
  {
    std::lock_guard<std::mutex> lock(pool.mutex);
    for (size_t i = pool.idle.size(); i-- > 0;) {
      if (pool.idle[i].capacity != capacity) continue;
      void* data = pool.idle[i].data;
      pool.idle.erase(pool.idle.begin() + static_cast<std::ptrdiff_t>(i));
      pool.idle_bytes -= capacity;
      return data;
    }
  }
  return std::malloc(capacity);
}

void Give(void* data, size_t capacity) {
  Pool& pool = ThePool();
  std::vector<Block> evicted;
  {
    std::lock_guard<std::mutex> lock(pool.mutex);
    if (capacity > kPoolMaxBytes) {
      evicted.push_back({data, capacity});
    } else {
      pool.idle.push_back({data, capacity});
      pool.idle_bytes += capacity;
      while (pool.idle_bytes > kPoolMaxBytes) {
        evicted.push_back(pool.idle.front());
        pool.idle_bytes -= pool.idle.front().capacity;
        pool.idle.erase(pool.idle.begin());
      }
    }
  }
  for (const Block& block : evicted) std::free(block.data);
}

struct Hint {
  size_t capacity;
};

Napi::Value ReceiveMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double requested = ArgNonNegative(info, 0, "bytes");
  size_t bytes = static_cast<size_t>(requested);
  if (static_cast<double>(bytes) != requested)
    ThrowTypeError(env, "bytes must be a whole number");
  size_t capacity = RoundUp(bytes == 0 ? 1 : bytes);
  void* data = Take(capacity);
  if (data == nullptr)
    ThrowError(env, "out of memory for a buffer of " + std::to_string(bytes) +
                        " bytes");
  // V8 counts an external ArrayBuffer's length towards garbage collection by
  // itself, which is what brings blocks back. Telling it again
  // (AdjustExternalMemory) doubled the pressure: a 16 MiB argument per call
  // then set off a full collection every other call, 15 ms a call against 8.
  return Napi::ArrayBuffer::New(
      env, data, bytes,
      [](Napi::Env, void* memory, Hint* hint) {
        Give(memory, hint->capacity);
        delete hint;
      },
      new Hint{capacity});
}

}  // namespace

void RegisterReceiveMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("receiveMemory",
              Napi::Function::New(env, ReceiveMemory, "receiveMemory"));
}

}  // namespace mpiloop
