// How long a synchronous spin may last. With more ranks than cores
// (oversubscribed) it is counted in this thread's CPU time: while other ranks
// keep the cores busy it waits its turn without timing out, and once they are
// idle its turns come at once and it ends as soon as it would by the clock.
// The clock still bounds it, at kCpuBudgetWallFactor times longer, so that on
// a machine crowded with other work it does not burn its whole budget.
#pragma once
#include <time.h>

#include <chrono>

namespace mpiloop {

class SpinBudget {
 public:
  SpinBudget(double micros, bool oversubscribed)
      : micros_(micros), oversubscribed_(oversubscribed) {}

  // True once the budget is spent. The clocks are read from the first call,
  // so that a spin that ends at once costs none of them (the thread's CPU
  // clock is a system call; it is read every 16 checks).
  bool Spent() {
    checks_++;
    if (checks_ == 1) {
      deadline_ =
          Clock::now() +
          std::chrono::duration_cast<Clock::duration>(
              std::chrono::duration<double, std::micro>(
                  oversubscribed_ ? micros_ * kCpuBudgetWallFactor : micros_));
      if (oversubscribed_) cpu_deadline_ = ThreadCpuMicros() + micros_;
    }
    return Clock::now() >= deadline_ || (oversubscribed_ && checks_ % 16 == 0 &&
                                         ThreadCpuMicros() >= cpu_deadline_);
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr double kCpuBudgetWallFactor = 10;

  static double ThreadCpuMicros() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 +
           static_cast<double>(t.tv_nsec) / 1e3;
  }

  double micros_;
  bool oversubscribed_;
  unsigned checks_ = 0;
  Clock::time_point deadline_;
  double cpu_deadline_ = 0;
};

}  // namespace mpiloop
