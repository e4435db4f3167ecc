// Rank 0's failure watchdog. A worker that throws while rank 0 waits for it
// in a collective leaves rank 0 blocked in MPI for good, and MPI offers no
// way to interrupt a blocking call. Polling for failures from inside every
// call (nonblocking form + test loop) costs ~10x on small collectives, so the
// watch lives off the MPI progress path: a thread listens on a TCP socket for
// failure notices that workers send next to their MPI error record. When a
// notice for the command rank 0 is still running is pending and the main
// thread stays inside one blocking MPI call (blocking.h) for the grace
// period, the thread prints the notice and ends the process with _exit(1);
// mpirun then ends every rank. Otherwise it does nothing: the error record
// reaches call() over MPI as usual. The thread touches neither MPI nor V8 and
// sleeps in poll() without a timeout while no notice is pending.
//
// The same thread serves the workers' links (heartbeat.h): a connection
// whose first line after the token is "link ..." stays open as one.
//
// JS functions (addon.ts): watchdogStart, watchdogSetGrace, watchdogSettled
// (rank 0) and watchdogNotify (workers).
#pragma once

#include <chrono>
#include <string>

namespace mpiloop {

// A nonblocking TCP socket connected to host:port before the deadline, or -1.
int ConnectWithin(const std::string& host, int port,
                  std::chrono::steady_clock::time_point deadline);

// Stops the thread and closes its sockets (finalize, env cleanup). Idempotent.
void StopWatchdog();

}  // namespace mpiloop
