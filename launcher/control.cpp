#include "launcher/control.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include "launcher/cgroup.hpp"
#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool gone(const ContainerRecord& r) { return !is_running(r); }

bool wait_until(const std::function<bool()>& done, Clock::duration timeout) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

}  // namespace

ContainerRecord find_running(const std::string& name) {
  auto r = read_record(name);
  if (r && !is_running(*r) && !launcher_alive(*r))
    fail(Code::NotFound, "container '{}' is dead (its launcher was killed); remove what it left "
         "with 'nsnet rm {}'", name, name);
  if (!r || !is_running(*r))
    fail(Code::NotFound, "no running container named '{}'; see 'nsnet ps'", name);
  return *r;
}

std::optional<uint64_t> memory_usage(const ContainerRecord& r) {
  return memory_usage_of(version_from_name(r.cgroup_version),
                         r.memory_dir);
}

bool stop_container(const std::string& name, int timeout_s) {
  ContainerRecord r = find_running(name);
  ::kill(r.pid, SIGTERM);
  bool killed = false;
  if (!wait_until([&] { return gone(r); }, std::chrono::seconds(timeout_s))) {
    ::kill(r.pid, SIGKILL);
    killed = true;
    wait_until([&] { return gone(r); }, 5s);
  }
  // The container's launcher removes cgroup and state when it sees the exit.
  auto state = container_dir(name) + "/state.json";
  if (!wait_until([&] { return ::access(state.c_str(), F_OK) < 0 || !launcher_alive(r); }, 5s) ||
      !launcher_alive(r)) {
    StateLock lock;  // its launcher is gone: clean up for it
    sweep_if_dead(name);
  }
  return killed;
}

void remove_container(const std::string& name) {
  StateLock lock;
  if (::access(container_dir(name).c_str(), F_OK) < 0)
    fail(Code::NotFound, "no container named '{}'; see 'nsnet ps'", name);
  if (!sweep_if_dead(name))
    fail(Code::Conflict, "container '{}' is {}; stop it with 'nsnet stop {}'", name,
         status_name(read_record(name).value_or(ContainerRecord{})), name);
}

std::vector<std::string> remove_dead_containers() {
  std::vector<std::string> removed;
  for (const auto& r : list_records()) {
    StateLock lock;
    if (sweep_if_dead(r.name)) removed.push_back(r.name);
  }
  return removed;
}

void print_logs(const std::string& name, bool follow) {
  std::string path = log_path(name);
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f)
    fail(Code::NotFound, "no log for '{}' ({}); only detached containers (-d) have one", name, path);
  char buf[4096];
  auto drain = [&] {
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) std::fwrite(buf, 1, n, stdout);
    std::clearerr(f);
    std::fflush(stdout);
  };
  drain();
  if (follow) {
    while (auto r = read_record(name)) {
      if (!is_running(*r)) break;
      std::this_thread::sleep_for(200ms);
      drain();
    }
    drain();
  }
  std::fclose(f);
}

}  // namespace nsnet::launcher
