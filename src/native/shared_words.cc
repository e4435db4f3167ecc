// Waiting on words of memory that other processes write (a shared-memory
// window): the event loop's command ring (src/loop/command-ring.ts), where
// rank 0 publishes how many commands it has written and each worker how many
// it has read. JavaScript writes them with Atomics; this side only reads.
#include <sched.h>
#include <time.h>

#include <cmath>
#include <cstdint>

#include "args.h"
#include "blocking.h"
#include "datatype.h"
#include "modules.h"
#include "spin_budget.h"

namespace mpiloop {
namespace {

// waitWords(view: Int32Array, first, stride, count, least, spinMicros,
// oversubscribed, yield): waits until each of the count words
// view[first + k * stride] has reached least (counters that wrap: reached
// means (word - least) as a 32-bit integer is >= 0). True when they have;
// false when the spin budget (spin_budget.h; Infinity: none) ran out first.
// Between checks: with sleepMicros > 0, a sleep that long; else with yield,
// the core is given away.
Napi::Value WaitWords(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw Napi::TypeError::New(env, "waitWords: view must be an Int32Array");
  auto view = info[0].As<Napi::Int32Array>();
  const int first = ArgInt(info, 1, "first");
  const int stride = ArgInt(info, 2, "stride");
  const int count = ArgInt(info, 3, "count");
  const int32_t least = ArgInt(info, 4, "least");
  // Infinity (no limit) is allowed here, unlike ArgNonNegative's numbers.
  const double spin_micros =
      info[5].IsNumber() ? info[5].As<Napi::Number>().DoubleValue() : -1;
  if (!(spin_micros >= 0))
    throw Napi::RangeError::New(env, "waitWords: spinMicros must be >= 0");
  const bool oversubscribed = info[6].ToBoolean().Value();
  const bool yield = info[7].ToBoolean().Value();
  const double sleep_micros = info.Length() > 8 && info[8].IsNumber()
                                  ? info[8].As<Napi::Number>().DoubleValue()
                                  : 0;
  const timespec pause{static_cast<time_t>(sleep_micros / 1e6),
                       static_cast<long>(std::fmod(sleep_micros, 1e6) *
                                         1e3)};  // NOLINT(runtime/int)
  const int64_t last =
      static_cast<int64_t>(first) +
      static_cast<int64_t>(stride) * (count > 0 ? count - 1 : 0);
  if (first < 0 || stride < 0 || count < 0 ||
      last >= static_cast<int64_t>(view.ElementLength()))
    throw Napi::RangeError::New(env, "waitWords: words out of the view");
  const int32_t* words = view.Data();
  const bool bounded = std::isfinite(spin_micros);
  SpinBudget budget(spin_micros, oversubscribed);
  BlockingSection section;
  // Words already seen to have reached least are not read again.
  int k = 0;
  for (;;) {
    for (; k < count; k++) {
      int32_t w = __atomic_load_n(words + first + k * stride, __ATOMIC_ACQUIRE);
      if (static_cast<int32_t>(static_cast<uint32_t>(w) -
                               static_cast<uint32_t>(least)) < 0)
        break;
    }
    if (k == count) return Napi::Boolean::New(env, true);
    if (bounded && budget.Spent()) return Napi::Boolean::New(env, false);
    if (sleep_micros > 0)
      nanosleep(&pause, nullptr);
    else if (yield)
      sched_yield();
  }
}

}  // namespace

void RegisterSharedWords(Napi::Env env, Napi::Object exports) {
  exports.Set("waitWords", Napi::Function::New(env, WaitWords, "waitWords"));
}

}  // namespace mpiloop
