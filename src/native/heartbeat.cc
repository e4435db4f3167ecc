#include "heartbeat.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "args.h"
#include "errors.h"
#include "modules.h"
#include "watchdog.h"

namespace mpiloop {
namespace {

using Clock = HeartbeatClock;

constexpr char kBeat = 'h';
constexpr char kAck = 'a';
constexpr char kRing = 'w';
// A worker gives up reaching rank 0's port after this long.
constexpr int kConnectMs = 3000;

// heartbeatTimeout in milliseconds; 0 turns the checks and heartbeats off.
std::atomic<int64_t> g_timeout_ms{10000};

// A few heartbeats per timeout, so one late packet is no alarm; never so
// often that an idle rank pays for them.
int64_t IntervalMs(int64_t timeout) {
  return std::clamp<int64_t>(timeout / 4, 50, 2500);
}

int64_t MillisSince(Clock::time_point t, Clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - t).count();
}

int MillisUntil(Clock::time_point t, Clock::time_point now) {
  return static_cast<int>(std::max<int64_t>(0, -MillisSince(t, now)) + 1);
}

void WriteStderr(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(2, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

std::string ParentName() {
  std::ifstream comm("/proc/" + std::to_string(getppid()) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

void SendByte(int fd, char byte) {
  (void)!send(fd, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
}

std::string Seconds(int64_t ms) {
  std::ostringstream out;
  out << static_cast<double>(ms) / 1000;
  return out.str();
}

// ---- rank 0: the links ------------------------------------------------------

struct Link {
  int fd;
  int rank;
  bool ring;
  std::string host;
  Clock::time_point heard;
};

// The watchdog thread adds and removes links; the main thread rings them.
std::mutex g_links_mutex;
std::vector<Link> g_links;
Clock::time_point g_next_beat;

// Open MPI's launcher waits for every daemon before it exits, and the daemon
// of an unreachable host never answers: a second SIGTERM during its abort
// ends it at once (and it ends the ranks it started). Only a launcher of Open
// MPI or PRRTE is signalled; under another one (srun) this rank's exit is
// enough.
void EndJobFromRank0() {
  std::string parent = ParentName();
  if (parent == "mpirun" || parent == "mpiexec" || parent == "orterun" ||
      parent == "orted" || parent == "prterun" || parent == "prted") {
    // The launcher's abort sends this rank SIGTERM first: it must outlive
    // that to send the second.
    signal(SIGTERM, SIG_IGN);
    pid_t ppid = getppid();
    // Signals sent together would merge into one, and a loaded launcher may
    // take a while to see the first: repeat until it has gone, and end it
    // outright if it is still there after a few seconds.
    for (int i = 0; i < 12 && getppid() == ppid && kill(ppid, SIGTERM) == 0;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    if (getppid() == ppid) kill(ppid, SIGKILL);
  }
  _exit(1);
}

[[noreturn]] void FireLost(const std::vector<Link>& lost, Clock::time_point now,
                           int64_t timeout) {
  std::map<std::string, std::vector<const Link*>> by_host;
  for (const Link& link : lost) by_host[link.host].push_back(&link);
  std::string text;
  for (const auto& [host, links] : by_host) {
    std::string ranks;
    int64_t silent = 0;
    for (const Link* link : links) {
      ranks += (ranks.empty() ? "" : ", ") + std::to_string(link->rank);
      silent = std::max(silent, MillisSince(link->heard, now));
    }
    text += "mpi-loop: lost contact with host " + host + " (rank" +
            (links.size() > 1 ? "s " : " ") + ranks + "): nothing heard for " +
            std::to_string(silent) + " ms (heartbeatTimeout " +
            Seconds(timeout) +
            " s); the network to it is down or the host is gone; ending the "
            "job\n";
  }
  WriteStderr(text);
  EndJobFromRank0();
  _exit(1);
}

// ---- workers: the lifeline --------------------------------------------------

struct Lifeline {
  int fd = -1;
  int wake_read = -1;
  int wake_write = -1;
  int rank = 0;
  std::string rank0_host;
  std::thread thread;
  Napi::ThreadSafeFunction on_ring;
  std::atomic<bool> acknowledged{false};
};

Lifeline* g_lifeline = nullptr;

[[noreturn]] void LoseRank0(const Lifeline& line, bool closed, int64_t silent) {
  std::string who = "mpi-loop: rank " + std::to_string(line.rank) + ": ";
  if (closed) {
    // Rank 0 has ended: the launcher is ending the job, nothing to add.
    WriteStderr(who + "rank 0 has gone (its link closed); ending this rank\n");
    _exit(1);
  }
  WriteStderr(who + "nothing heard from rank 0 on " + line.rank0_host +
              " for " + std::to_string(silent) + " ms (heartbeatTimeout " +
              Seconds(g_timeout_ms.load()) +
              " s); the network to it is down or its host is gone; ending "
              "this rank\n");
  // Open MPI's daemon on this host cannot reach mpirun either and would stay.
  std::string parent = ParentName();
  if (parent == "orted" || parent == "prted") kill(getppid(), SIGTERM);
  _exit(1);
}

// A worker waits two heartbeats longer than rank 0 before it gives up, so
// that when both are alive rank 0, which names what was lost, goes first.
int64_t WorkerTimeoutMs(int64_t timeout) {
  return timeout + 2 * IntervalMs(timeout);
}

void RunLifeline(Lifeline* line) {
  Clock::time_point heard = Clock::now();
  Clock::time_point next_beat = heard;
  for (;;) {
    Clock::time_point now = Clock::now();
    int64_t timeout = g_timeout_ms.load(std::memory_order_relaxed);
    if (timeout > 0 && now >= next_beat) {
      SendByte(line->fd, kBeat);
      next_beat = now + std::chrono::milliseconds(IntervalMs(timeout));
    }
    int wait = -1;
    if (timeout > 0) {
      Clock::time_point deadline =
          heard + std::chrono::milliseconds(WorkerTimeoutMs(timeout));
      if (now >= deadline) LoseRank0(*line, false, MillisSince(heard, now));
      wait = MillisUntil(std::min(deadline, next_beat), now);
    }
    pollfd fds[2] = {{line->wake_read, POLLIN, 0}, {line->fd, POLLIN, 0}};
    int ready = poll(fds, 2, wait);
    if (ready < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) return;  // StopLifeline
    if (fds[1].revents == 0) continue;
    char buffer[256];
    ssize_t n = read(line->fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) LoseRank0(*line, true, 0);
    heard = Clock::now();
    bool ring = false;
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] == kAck) line->acknowledged.store(true);
      ring = ring || buffer[i] == kRing || buffer[i] == kAck;
    }
    if (ring) line->on_ring.NonBlockingCall();
  }
}

bool SendAll(int fd, const std::string& text, Clock::time_point deadline) {
  size_t done = 0;
  while (done < text.size()) {
    pollfd p{fd, POLLOUT, 0};
    if (Clock::now() >= deadline ||
        poll(&p, 1, MillisUntil(deadline, Clock::now())) <= 0)
      return false;
    ssize_t n = send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// lifelineStart(hosts, port, token, rank, ring, host, rank0Host, onRing)
// -> boolean: connects to the first of `hosts` that answers and starts the
// thread. `onRing` runs on the event loop at rank 0's first answer and at
// every ring.
Napi::Value Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_lifeline != nullptr) return Napi::Boolean::New(env, true);
  if (!info[0].IsArray())
    ThrowTypeError(env, "hosts must be an array of strings");
  int port = ArgInt(info, 1, "port");
  if (!info[2].IsString() || !info[5].IsString() || !info[6].IsString())
    ThrowTypeError(env, "token, host and rank0Host must be strings");
  int rank = ArgInt(info, 3, "rank");
  bool ring = info[4].ToBoolean().Value();
  if (!info[7].IsFunction()) ThrowTypeError(env, "onRing must be a function");
  std::string host = info[5].As<Napi::String>().Utf8Value();
  if (host.find_first_of(" \n") != std::string::npos)
    ThrowRangeError(env, "host must be a single word");
  std::string hello = info[2].As<Napi::String>().Utf8Value() + "\nlink " +
                      std::to_string(rank) + " " + (ring ? "1" : "0") + " " +
                      host + "\n";
  Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(kConnectMs);
  Napi::Array hosts = info[0].As<Napi::Array>();
  int fd = -1;
  for (uint32_t i = 0; i < hosts.Length() && fd < 0; ++i) {
    Napi::Value h = hosts.Get(i);
    if (!h.IsString()) continue;
    fd = ConnectWithin(h.As<Napi::String>().Utf8Value(), port, deadline);
    if (fd >= 0 && !SendAll(fd, hello, deadline)) {
      close(fd);
      fd = -1;
    }
  }
  if (fd < 0) return Napi::Boolean::New(env, false);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    close(fd);
    ThrowError(env, std::string("lifeline: pipe: ") + std::strerror(errno));
  }
  auto* line = new Lifeline();
  line->fd = fd;
  line->wake_read = pipe_fds[0];
  line->wake_write = pipe_fds[1];
  line->rank = rank;
  line->rank0_host = info[6].As<Napi::String>().Utf8Value();
  line->on_ring = Napi::ThreadSafeFunction::New(
      env, info[7].As<Napi::Function>(), "mpi-loop lifeline", 0, 1);
  // Rings must not keep an idle process alive.
  line->on_ring.Unref(env);
  line->thread = std::thread(RunLifeline, line);
  g_lifeline = line;
  return Napi::Boolean::New(env, true);
}

Napi::Value Stop(const Napi::CallbackInfo& info) {
  StopLifeline();
  return info.Env().Undefined();
}

// lifelineInfo() -> { connected, acknowledged, timeoutMs, intervalMs }.
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  int64_t timeout = g_timeout_ms.load();
  out.Set("connected", g_lifeline != nullptr);
  out.Set("acknowledged",
          g_lifeline != nullptr && g_lifeline->acknowledged.load());
  out.Set("timeoutMs", static_cast<double>(timeout));
  out.Set("intervalMs",
          timeout > 0 ? static_cast<double>(IntervalMs(timeout)) : 0.0);
  return out;
}

Napi::Value SetTimeout(const Napi::CallbackInfo& info) {
  double seconds = ArgNonNegative(info, 0, "seconds");
  g_timeout_ms.store(static_cast<int64_t>(seconds * 1000));
  return info.Env().Undefined();
}

// linksRing() -> the number of links rung (rank 0, main thread).
Napi::Value Ring(const Napi::CallbackInfo& info) {
  int rung = 0;
  {
    std::lock_guard<std::mutex> lock(g_links_mutex);
    for (const Link& link : g_links) {
      if (!link.ring) continue;
      SendByte(link.fd, kRing);
      ++rung;
    }
  }
  return Napi::Number::New(info.Env(), rung);
}

}  // namespace

bool IsLinkHello(const std::string& hello) {
  return hello.compare(0, 5, "link ") == 0;
}

void AdoptLink(int fd, const std::string& hello, Clock::time_point now) {
  std::istringstream in(hello.substr(5));
  Link link{fd, -1, false, "", now};
  int ring = 0;
  in >> link.rank >> ring >> link.host;
  link.ring = ring != 0;
  if (link.host.empty()) link.host = "?";
  SendByte(fd, kAck);
  std::lock_guard<std::mutex> lock(g_links_mutex);
  g_links.push_back(link);
}

void AddLinkPollFds(std::vector<pollfd>* fds) {
  std::lock_guard<std::mutex> lock(g_links_mutex);
  for (const Link& link : g_links) fds->push_back({link.fd, POLLIN, 0});
}

void ReadLinks(const pollfd* fds, size_t count, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(g_links_mutex);
  std::vector<Link> kept;
  for (size_t i = 0; i < g_links.size(); ++i) {
    Link& link = g_links[i];
    bool open = true;
    if (i < count && fds[i].revents != 0) {
      char buffer[256];
      ssize_t n = read(link.fd, buffer, sizeof buffer);
      if (n > 0) {
        link.heard = now;
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        // The worker quit, or its process ended (the launcher reports that).
        open = false;
      }
    }
    if (open) {
      kept.push_back(link);
    } else {
      close(link.fd);
    }
  }
  g_links.swap(kept);
}

int CheckLinks(Clock::time_point now) {
  int64_t timeout = g_timeout_ms.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(g_links_mutex);
  if (g_links.empty() || timeout <= 0) return -1;
  if (now >= g_next_beat) {
    for (const Link& link : g_links) SendByte(link.fd, kBeat);
    g_next_beat = now + std::chrono::milliseconds(IntervalMs(timeout));
  }
  Clock::time_point next = g_next_beat;
  std::vector<Link> lost;
  for (const Link& link : g_links) {
    Clock::time_point deadline =
        link.heard + std::chrono::milliseconds(timeout);
    if (now >= deadline) lost.push_back(link);
    next = std::min(next, deadline);
  }
  if (!lost.empty()) {
    // The host's other ranks whose heartbeats have stopped too are named
    // with it: they went silent at the same moment, a beat apart.
    for (const Link& link : g_links) {
      bool same_host =
          std::any_of(lost.begin(), lost.end(),
                      [&](const Link& l) { return l.host == link.host; });
      int64_t silent = MillisSince(link.heard, now);
      if (same_host && silent < timeout && silent >= 2 * IntervalMs(timeout))
        lost.push_back(link);
    }
    std::sort(lost.begin(), lost.end(),
              [](const Link& a, const Link& b) { return a.rank < b.rank; });
    FireLost(lost, now, timeout);
  }
  return MillisUntil(next, now);
}

void CloseLinks() {
  std::lock_guard<std::mutex> lock(g_links_mutex);
  for (const Link& link : g_links) close(link.fd);
  g_links.clear();
}

void StopLifeline() {
  Lifeline* line = g_lifeline;
  if (line == nullptr) return;
  g_lifeline = nullptr;
  char byte = 1;
  (void)!write(line->wake_write, &byte, 1);
  line->thread.join();
  for (int fd : {line->fd, line->wake_read, line->wake_write}) close(fd);
  line->on_ring.Release();
  delete line;
}

void RegisterHeartbeat(Napi::Env env, Napi::Object exports) {
  exports.Set("lifelineStart",
              Napi::Function::New(env, Start, "lifelineStart"));
  exports.Set("lifelineStop", Napi::Function::New(env, Stop, "lifelineStop"));
  exports.Set("lifelineInfo", Napi::Function::New(env, Info, "lifelineInfo"));
  exports.Set("linksRing", Napi::Function::New(env, Ring, "linksRing"));
  exports.Set("heartbeatSetTimeout",
              Napi::Function::New(env, SetTimeout, "heartbeatSetTimeout"));
}

}  // namespace mpiloop
