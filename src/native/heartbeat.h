// The side channel between rank 0 and each worker: one TCP connection (a
// "link") per worker, made to rank 0's watchdog port, that lives outside MPI
// so it works whatever MPI is doing.
//
// Heartbeats: both ends send one byte every heartbeatTimeout / 4 from a
// thread of their own, so they keep flowing while either main thread is
// blocked in MPI or busy in JavaScript. Rank 0's watchdog thread ends the job
// when a link has been silent for heartbeatTimeout (a partition, or a lost
// host), naming the host and its ranks; a worker's lifeline thread ends its
// rank when rank 0 has been silent two heartbeats longer (rank 0 reports
// first), or at once when rank 0's end of the link closes (rank 0 has gone).
//
// Rings: rank 0 writes one byte on the links of sleeping workers on other
// hosts before a command (linksRing); the worker's thread passes it to the
// event loop, which wakes at once.
//
// JS functions (addon.ts): lifelineStart, lifelineStop, lifelineInfo
// (workers); linksRing, heartbeatSetTimeout (rank 0).
#pragma once

#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "napi_include.h"

namespace mpiloop {

using HeartbeatClock = std::chrono::steady_clock;

// Rank 0's table of links, driven by the watchdog thread (watchdog.cc).
// `hello` is what followed the token line: "link <rank> <ring> <host>".
bool IsLinkHello(const std::string& hello);
void AdoptLink(int fd, const std::string& hello,
               HeartbeatClock::time_point now);
// Appends a pollfd per link; ReadLinks reads those that are ready.
void AddLinkPollFds(std::vector<pollfd>* fds);
void ReadLinks(const pollfd* fds, size_t count, HeartbeatClock::time_point now);
// Sends the heartbeats that are due and ends the job on a silent link.
// Returns the milliseconds until it must run again (-1: no links).
int CheckLinks(HeartbeatClock::time_point now);
void CloseLinks();

// Ends a worker's lifeline thread (finalize, env cleanup). Idempotent.
void StopLifeline();

void RegisterHeartbeat(Napi::Env env, Napi::Object exports);

}  // namespace mpiloop
