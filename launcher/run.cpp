#include "launcher/run.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "launcher/cgroup.hpp"
#include "launcher/etc_files.hpp"
#include "launcher/init.hpp"
#include "launcher/netns_join.hpp"
#include "launcher/spawn.hpp"
#include "launcher/state.hpp"
#include "netlib/error.hpp"
#include "netlib/fault.hpp"

namespace nsnet::launcher {
namespace {

// The state directory, released on every way out.
class NameClaim {
 public:
  explicit NameClaim(const ContainerRecord& first) : name_(first.name) { claim_name(first); }
  ~NameClaim() { release_name(name_); }
  NameClaim(const NameClaim&) = delete;
  NameClaim& operator=(const NameClaim&) = delete;

 private:
  std::string name_;
};

// Kills and reaps the container if the launcher leaves before it exited.
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid) : pid_(pid) {}
  ~ChildGuard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;
  // Waits for the child's exit; returns the wait status.
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) fail_errno(errno, "waitpid");
    }
    pid_ = 0;
    return status;
  }

 private:
  pid_t pid_;
};

// While the container runs, signals sent to the launcher go to its init,
// which passes them on to the program.
volatile sig_atomic_t g_forward_to = 0;

void forward_signal(int sig) {
  if (g_forward_to > 0) ::kill(g_forward_to, sig);
}

class SignalForwarding {
 public:
  explicit SignalForwarding(pid_t to) {
    g_forward_to = to;
    struct sigaction sa{};
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(kForwardedSignals); ++i)
      ::sigaction(kForwardedSignals[i], &sa, &saved_[i]);
  }
  ~SignalForwarding() {
    for (size_t i = 0; i < std::size(kForwardedSignals); ++i)
      ::sigaction(kForwardedSignals[i], &saved_[i], nullptr);
    g_forward_to = 0;
  }
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

 private:
  struct sigaction saved_[std::size(kForwardedSignals)]{};
};

void write_proc_file(pid_t pid, const char* file, const std::string& text) {
  std::string path = fmt::format("/proc/{}/{}", pid, file);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd || ::write(fd.get(), text.data(), text.size()) < 0)
    fail_errno(errno, fmt::format("write '{}' to {}", text, path));
}

// Container ids 0..count-1 become host ids first..; setgroups must be denied
// before an unprivileged gid_map can exist, and we deny it always.
void write_id_maps(pid_t pid, const IdMap& map) {
  std::string line = fmt::format("0 {} {}\n", map.host_first, map.count);
  write_proc_file(pid, "uid_map", line);
  write_proc_file(pid, "setgroups", "deny");
  write_proc_file(pid, "gid_map", line);
}

// Reads the child's report: nullopt on EOF, which means the program runs.
std::optional<ChildFailure> read_failure(int fd) {
  ChildFailure f{};
  ssize_t n;
  do n = ::read(fd, &f, sizeof f);
  while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof f)) return f;
  return std::nullopt;
}

std::string describe(const ChildFailure& f) {
  return fmt::format("{}{}{}: {}", f.step, f.detail[0] ? " " : "", f.detail, std::strerror(f.err));
}

std::string human_size(uint64_t bytes) {
  if (bytes % (1ULL << 30) == 0) return fmt::format("{}G", bytes >> 30);
  if (bytes % (1ULL << 20) == 0) return fmt::format("{}M", bytes >> 20);
  if (bytes % (1ULL << 10) == 0) return fmt::format("{}K", bytes >> 10);
  return fmt::format("{}", bytes);
}

// The record written when the name is claimed, before anything else is
// made: it names the launcher and the cgroup to come, so whatever a killed
// launcher leaves can be found (nsnet ps shows it dead, nsnet rm removes it).
ContainerRecord first_record(const RunOptions& opts, const CgroupPlan& cgroup) {
  ContainerRecord r;
  r.name = opts.name;
  r.netns = opts.netns;
  r.monitor_pid = ::getpid();
  r.monitor_start_ticks = process_start_ticks(r.monitor_pid);
  r.started = ::time(nullptr);
  r.cgroup_version = version_name(cgroup.version);
  r.cgroup_dirs = cgroup.dirs;
  r.memory_dir = cgroup.memory_dir;
  r.cgroup = cgroup_display_path(cgroup.version, cgroup.dirs, cgroup.memory_dir);
  r.command = opts.command;
  r.detached = opts.detach;
  return r;
}

}  // namespace

int run_container(const RunOptions& opts, const RunHooks& hooks) {
  // Everything that can be checked is checked before anything is made.
  UniqueFd netns = opts.new_net ? UniqueFd() : open_named_netns(opts.netns);
  const std::string dir = container_dir(opts.name);
  ProcessSpec spec = make_process_spec(opts, plan_root(opts, dir + "/etc", dir + "/root"));
  CgroupPlan cgroup_plan = plan_cgroup(fmt::format("{}.{}", opts.name, ::getpid()), opts.limits);

  // The NSNET_FAULT_AT points below are where tests/integration/
  // launcher_crash.sh kills the launcher; nsnet rm must sweep each.
  ContainerRecord record = first_record(opts, cgroup_plan);
  NameClaim claim(record);
  fault_point("run-claimed");
  if (hooks.claimed) hooks.claimed();
  write_etc_files(dir + "/etc", opts.hostname, opts.netns);
  Cgroup cgroup = Cgroup::create(cgroup_plan);
  fault_point("run-cgroup");
  SyncPipes pipes = SyncPipes::make();

  pid_t pid;
  if (netns) {
    NetnsGuard inside(netns.get());
    if (opts.unprivileged_port_start)
      if (auto r = set_unprivileged_port_start(*opts.unprivileged_port_start); r.failed())
        fail_errno(r.err, fmt::format("{} in netns '{}'", r.step, opts.netns));
    pid = spawn_container(spec, cgroup.clone_fd(), pipes);
  } else {
    pid = spawn_container(spec, cgroup.clone_fd(), pipes);
  }
  ChildGuard child(pid);
  fault_point("run-cloned");
  SignalForwarding forwarding(pid);

  if (opts.userns) write_id_maps(pid, *opts.userns);
  if (cgroup.version() == CgroupVersion::V1) cgroup.add_process(pid);
  record.pid = pid;
  record.start_ticks = process_start_ticks(pid);
  write_record(record);
  fault_point("run-recorded");
  // go_write stays open while the launcher lives: the child checks it to
  // learn whether the launcher died before its PDEATHSIG was armed.
  if (::write(pipes.go_write.get(), "g", 1) != 1) fail_errno(errno, "start the container");
  fault_point("run-go");

  if (auto failure = read_failure(pipes.error_read.get())) {
    if (std::string(failure->step) != "execute")
      fail(Code::Kernel, "container '{}' failed to start: {}", opts.name, describe(*failure));
    fmt::print(stderr, "nsnet run: {}: cannot {}\n", opts.name, describe(*failure));
  } else {
    fault_point("run-started");
    if (hooks.started) hooks.started(pid);
  }

  int code = exit_code_of(child.wait());
  fault_point("run-exited");
  if (cgroup.oom_kills() > 0)
    fmt::print(stderr, "nsnet run: {}: out of memory: the kernel killed a process at the {} limit{}\n",
               opts.name, opts.limits.memory_bytes ? human_size(*opts.limits.memory_bytes) : "memory",
               code == 128 + SIGKILL ? " (the program, exit 137)" : "");
  return code;
}

int run_detached(const RunOptions& opts) {
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) < 0) fail_errno(errno, "pipe");
  UniqueFd ready_read(ready[0]), ready_write(ready[1]);
  std::fflush(nullptr);
  pid_t monitor = ::fork();
  if (monitor < 0) fail_errno(errno, "fork the monitor");
  if (monitor == 0) {
    ready_read.reset();
    // One line. The foreground may be gone (killed, or its terminal closed):
    // the container must not die of a SIGPIPE in its monitor then. The
    // container was cloned with SIGPIPE at its default and keeps it.
    auto tell = [&](std::string text) {
      text += '\n';
      struct sigaction ignore{}, saved{};
      ignore.sa_handler = SIG_IGN;
      ::sigaction(SIGPIPE, &ignore, &saved);
      if (::write(ready_write.get(), text.data(), text.size()) < 0) {
      }
      ::sigaction(SIGPIPE, &saved, nullptr);
      ready_write.reset();
    };
    bool started = false;
    try {
      ::setsid();
      fault_point("run-detach-monitor");
      std::string log = log_path(opts.name);
      auto redirect_output = [&] {
        UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        UniqueFd out(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
        if (!null || !out) fail_errno(errno, "open log " + log);
        ::dup2(null.get(), 0);
        ::dup2(out.get(), 1);
        ::dup2(out.get(), 2);
      };
      int code = run_container(opts, {redirect_output, [&](pid_t pid) {
                                         started = true;
                                         tell(fmt::format("ok {}", pid));
                                       }});
      if (!started) tell(fmt::format("the program could not be started (exit {}); see {}", code, log));
      ::_exit(code);
    } catch (const std::exception& e) {
      if (started) fmt::print(stderr, "nsnet run: {}\n", e.what());  // to the log
      else tell(e.what());
      ::_exit(1);
    }
  }
  ready_write.reset();
  fault_point("run-detach-forked");  // the container starts and runs without us
  std::string answer;
  char buf[512];
  ssize_t n;
  while (answer.find('\n') == std::string::npos &&
         (n = ::read(ready_read.get(), buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  if (!answer.empty() && answer.back() == '\n') answer.pop_back();
  if (answer.starts_with("ok ")) {
    fmt::print("{} started (pid {}), log {}\n", opts.name, answer.substr(3), log_path(opts.name));
    return 0;
  }
  int status;
  ::waitpid(monitor, &status, 0);
  if (answer.empty()) answer = "the program exited before it could be confirmed running";
  fail(Code::Kernel, "{}", answer);
}

}  // namespace nsnet::launcher
