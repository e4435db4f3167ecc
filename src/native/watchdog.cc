#include "watchdog.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "args.h"
#include "blocking.h"
#include "errors.h"
#include "heartbeat.h"
#include "modules.h"

namespace mpiloop {

std::atomic<uint64_t> g_blocking_epoch{0};

namespace {

using Clock = std::chrono::steady_clock;

// A notice is "<token>\n<seq>\n<text>", sent whole on one connection.
constexpr size_t kMaxNotice = 1 << 20;
// While a notice is pending, how often the thread looks at the main thread.
constexpr int kCheckMs = 20;
// A connection that never finishes its notice is dropped after this long.
constexpr int kClientTimeoutMs = 10000;

// Commands up to this number have finished on rank 0: their notices are stale.
std::atomic<uint64_t> g_settled_seq{0};
std::atomic<int64_t> g_grace_ms{1000};

struct Notice {
  uint64_t seq;
  std::string text;
  Clock::time_point arrived;
};

struct Client {
  int fd;
  std::string data;
  Clock::time_point opened;
};

struct Watchdog {
  int listen_fd = -1;
  int wake_read = -1;
  int wake_write = -1;
  int port = 0;
  std::string token;
  std::vector<Client> clients;
  std::vector<Notice> notices;
  // The blocking call seen last, and since when (it is odd while inside).
  uint64_t seen_epoch = 0;
  Clock::time_point seen_since;
};

// Never destroyed while running: a std::thread still joinable at exit()
// would call std::terminate, and the process may exit without a cleanup.
Watchdog* g_dog = nullptr;
std::thread* g_thread = nullptr;

int64_t MillisSince(Clock::time_point t, Clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - t).count();
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// The job cannot go on: report every pending notice and end this process.
// Without MPI_Finalize, mpirun treats the exit as a failure and ends the
// other ranks; MPI_Abort is not safe from this thread under THREAD_SINGLE.
[[noreturn]] void Fire(const Watchdog& dog, int64_t stuck_ms) {
  std::string text = "mpi-loop: rank 0 has been blocked in an MPI call for " +
                     std::to_string(stuck_ms) +
                     " ms since a rank failed in the command it is running; "
                     "ending the job\n";
  for (const Notice& notice : dog.notices) text += notice.text + "\n";
  WriteAll(2, text);
  _exit(1);
}

void Accept(Watchdog& dog, Clock::time_point now) {
  for (;;) {
    int fd =
        accept4(dog.listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or a connection reset before accept
    dog.clients.push_back(Client{fd, std::string(), now});
  }
}

void Parse(Watchdog& dog, const std::string& data, Clock::time_point now) {
  size_t first = data.find('\n');
  if (first == std::string::npos || data.compare(0, first, dog.token) != 0)
    return;
  size_t second = data.find('\n', first + 1);
  if (second == std::string::npos) return;
  uint64_t seq = std::strtoull(data.c_str() + first + 1, nullptr, 10);
  dog.notices.push_back(Notice{seq, data.substr(second + 1), now});
}

enum class Read { kMore, kDone, kLink };

// A client whose first two lines are the token and a link hello becomes a
// link (heartbeat.h) and leaves the client list with its socket open.
bool TakeLink(Watchdog& dog, Client& client, Clock::time_point now) {
  size_t first = client.data.find('\n');
  if (first == std::string::npos) return false;
  size_t second = client.data.find('\n', first + 1);
  if (second == std::string::npos) return false;
  std::string hello = client.data.substr(first + 1, second - first - 1);
  if (client.data.compare(0, first, dog.token) != 0 || !IsLinkHello(hello))
    return false;
  AdoptLink(client.fd, hello, now);
  return true;
}

// Reads what a client has sent: done when it has closed (a notice), link
// when it turned out to be a link.
Read ReadClient(Watchdog& dog, Client& client, Clock::time_point now) {
  char buffer[4096];
  for (;;) {
    ssize_t n = read(client.fd, buffer, sizeof buffer);
    if (n > 0) {
      client.data.append(buffer, static_cast<size_t>(n));
      if (client.data.size() > kMaxNotice) return Read::kDone;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return TakeLink(dog, client, now) ? Read::kLink : Read::kMore;
    if (n == 0) Parse(dog, client.data, now);
    return Read::kDone;
  }
}

void Check(Watchdog& dog, Clock::time_point now) {
  uint64_t settled = g_settled_seq.load(std::memory_order_acquire);
  dog.notices.erase(
      std::remove_if(dog.notices.begin(), dog.notices.end(),
                     [&](const Notice& n) { return n.seq <= settled; }),
      dog.notices.end());
  uint64_t epoch = g_blocking_epoch.load(std::memory_order_relaxed);
  if (epoch != dog.seen_epoch) {
    dog.seen_epoch = epoch;
    dog.seen_since = now;
  }
  if (dog.notices.empty() || epoch % 2 == 0) return;
  Clock::time_point first = dog.notices.front().arrived;
  for (const Notice& n : dog.notices) first = std::min(first, n.arrived);
  int64_t stuck = MillisSince(std::max(first, dog.seen_since), now);
  if (stuck >= g_grace_ms.load(std::memory_order_relaxed)) Fire(dog, stuck);
}

void Run(Watchdog* dog) {
  std::vector<pollfd> fds;
  for (;;) {
    Clock::time_point now = Clock::now();
    int links_due = CheckLinks(now);
    fds.clear();
    fds.push_back({dog->wake_read, POLLIN, 0});
    fds.push_back({dog->listen_fd, POLLIN, 0});
    for (const Client& c : dog->clients) fds.push_back({c.fd, POLLIN, 0});
    size_t first_link = fds.size();
    AddLinkPollFds(&fds);
    // No timeout while nothing is pending: an idle watchdog costs nothing
    // but the heartbeats.
    int timeout = !dog->notices.empty()   ? kCheckMs
                  : !dog->clients.empty() ? kClientTimeoutMs
                                          : -1;
    if (links_due >= 0 && (timeout < 0 || links_due < timeout))
      timeout = links_due;
    int ready = poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) return;
    if (fds[0].revents != 0) return;  // StopWatchdog
    now = Clock::now();
    ReadLinks(fds.data() + first_link, fds.size() - first_link, now);
    if (fds[1].revents & POLLIN) Accept(*dog, now);
    for (size_t i = 2, k = 0; i < first_link; ++i) {
      Client& client = dog->clients[k];
      Read read =
          fds[i].revents != 0 ? ReadClient(*dog, client, now) : Read::kMore;
      bool expired = MillisSince(client.opened, now) > kClientTimeoutMs;
      if (read == Read::kMore && !expired) {
        ++k;
        continue;
      }
      if (read != Read::kLink) close(client.fd);
      dog->clients.erase(dog->clients.begin() + static_cast<long>(k));
    }
    Check(*dog, now);
  }
}

void CloseAll(Watchdog* dog) {
  for (int fd : {dog->listen_fd, dog->wake_read, dog->wake_write}) {
    if (fd >= 0) close(fd);
  }
  for (const Client& c : dog->clients) close(c.fd);
  CloseLinks();
}

// Listens on every IPv4 interface (workers on other hosts must reach it), on
// an ephemeral port.
int Listen(Napi::Env env, int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    ThrowError(env, std::string("watchdog: socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::string why = std::strerror(errno);
    close(fd);
    ThrowError(env, "watchdog: cannot listen on a TCP port: " + why);
  }
  *port = ntohs(address.sin_port);
  return fd;
}

// watchdogStart(token, graceSeconds) -> port. Starts once; later calls only
// return the port.
Napi::Value Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) ThrowTypeError(env, "token must be a string");
  std::string token = info[0].As<Napi::String>().Utf8Value();
  if (token.empty() || token.find('\n') != std::string::npos) {
    ThrowRangeError(env, "token must be a non-empty single line");
  }
  double grace = ArgNonNegative(info, 1, "graceSeconds");
  g_grace_ms.store(static_cast<int64_t>(grace * 1000),
                   std::memory_order_relaxed);
  if (g_dog != nullptr) return Napi::Number::New(env, g_dog->port);
  auto* dog = new Watchdog();
  dog->token = token;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    delete dog;
    ThrowError(env, std::string("watchdog: pipe: ") + std::strerror(errno));
  }
  dog->wake_read = pipe_fds[0];
  dog->wake_write = pipe_fds[1];
  try {
    dog->listen_fd = Listen(env, &dog->port);
  } catch (...) {
    CloseAll(dog);
    delete dog;
    throw;
  }
  g_settled_seq.store(0, std::memory_order_release);
  g_dog = dog;
  g_thread = new std::thread(Run, dog);
  return Napi::Number::New(env, dog->port);
}

Napi::Value SetGrace(const Napi::CallbackInfo& info) {
  double grace = ArgNonNegative(info, 0, "graceSeconds");
  g_grace_ms.store(static_cast<int64_t>(grace * 1000),
                   std::memory_order_relaxed);
  return info.Env().Undefined();
}

// watchdogSettled(seq): rank 0 has finished every command up to seq.
Napi::Value Settled(const Napi::CallbackInfo& info) {
  double seq = ArgNonNegative(info, 0, "seq");
  g_settled_seq.store(static_cast<uint64_t>(seq), std::memory_order_release);
  return info.Env().Undefined();
}

// Connects to host:port within the deadline and sends text; true on success.
bool SendTo(const std::string& host, int port, const std::string& text,
            Clock::time_point deadline) {
  int fd = ConnectWithin(host, port, deadline);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    int left = static_cast<int>(-MillisSince(deadline, Clock::now()));
    pollfd p{fd, POLLOUT, 0};
    if (left <= 0 || poll(&p, 1, left) <= 0) break;
    ssize_t n = send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);  // the end of the notice
  return done == text.size();
}

// watchdogNotify(hosts, port, token, seq, text, timeoutMs) -> boolean.
// Tries the hosts in order until one takes the notice; never waits past the
// timeout in total.
Napi::Value Notify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray())
    ThrowTypeError(env, "hosts must be an array of strings");
  Napi::Array hosts = info[0].As<Napi::Array>();
  int port = ArgInt(info, 1, "port");
  if (!info[2].IsString() || !info[4].IsString())
    ThrowTypeError(env, "token and text must be strings");
  double seq = ArgNonNegative(info, 3, "seq");
  double timeout = ArgNonNegative(info, 5, "timeoutMs");
  std::string text = info[2].As<Napi::String>().Utf8Value() + "\n" +
                     std::to_string(static_cast<uint64_t>(seq)) + "\n" +
                     info[4].As<Napi::String>().Utf8Value();
  Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(timeout));
  for (uint32_t i = 0; i < hosts.Length() && Clock::now() < deadline; ++i) {
    Napi::Value host = hosts.Get(i);
    if (!host.IsString()) continue;
    if (SendTo(host.As<Napi::String>().Utf8Value(), port, text, deadline)) {
      return Napi::Boolean::New(env, true);
    }
  }
  return Napi::Boolean::New(env, false);
}

}  // namespace

int ConnectWithin(const std::string& host, int port,
                  std::chrono::steady_clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) !=
      0)
    return -1;
  int result = -1;
  for (addrinfo* ai = found; ai != nullptr && result < 0; ai = ai->ai_next) {
    int fd =
        socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               ai->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      int left = static_cast<int>(-MillisSince(deadline, Clock::now()));
      pollfd p{fd, POLLOUT, 0};
      int error = 0;
      socklen_t length = sizeof error;
      if (errno != EINPROGRESS || left <= 0 || poll(&p, 1, left) <= 0 ||
          getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 ||
          error != 0) {
        close(fd);
        continue;
      }
    }
    result = fd;
  }
  freeaddrinfo(found);
  return result;
}

void StopWatchdog() {
  if (g_dog == nullptr) return;
  char byte = 1;
  (void)!write(g_dog->wake_write, &byte, 1);
  g_thread->join();
  delete g_thread;
  g_thread = nullptr;
  CloseAll(g_dog);
  delete g_dog;
  g_dog = nullptr;
}

void RegisterWatchdog(Napi::Env env, Napi::Object exports) {
  exports.Set("watchdogStart",
              Napi::Function::New(env, Start, "watchdogStart"));
  exports.Set("watchdogSetGrace",
              Napi::Function::New(env, SetGrace, "watchdogSetGrace"));
  exports.Set("watchdogSettled",
              Napi::Function::New(env, Settled, "watchdogSettled"));
  exports.Set("watchdogNotify",
              Napi::Function::New(env, Notify, "watchdogNotify"));
}

}  // namespace mpiloop
