#include "launcher/state.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "launcher/cgroup.hpp"
#include "netlib/error.hpp"
#include "netlib/fault.hpp"

namespace nsnet::launcher {
namespace {

using nlohmann::json;

void make_dirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail(Code::Io, "cannot create state directory {}: {}", dir, ec.message());
}

json to_json(const ContainerRecord& r) {
  return {{"name", r.name},          {"netns", r.netns},
          {"pid", r.pid},            {"monitor_pid", r.monitor_pid},
          {"monitor_start_ticks", r.monitor_start_ticks},
          {"start_ticks", r.start_ticks}, {"started", r.started},
          {"cgroup_version", r.cgroup_version}, {"cgroup_dirs", r.cgroup_dirs},
          {"memory_dir", r.memory_dir}, {"cgroup", r.cgroup},
          {"command", r.command},    {"detached", r.detached}};
}

ContainerRecord from_json(const json& j) {
  ContainerRecord r;
  r.name = j.at("name");
  r.netns = j.value("netns", "");
  r.pid = j.at("pid");
  r.monitor_pid = j.value("monitor_pid", 0);
  r.start_ticks = j.value("start_ticks", uint64_t{0});
  r.monitor_start_ticks = j.value("monitor_start_ticks", uint64_t{0});
  r.started = j.value("started", int64_t{0});
  r.cgroup_version = j.value("cgroup_version", "");
  r.cgroup_dirs = j.value("cgroup_dirs", std::vector<std::string>{});
  r.memory_dir = j.value("memory_dir", "");
  r.cgroup = j.value("cgroup", "");
  r.command = j.value("command", std::vector<std::string>{});
  r.detached = j.value("detached", false);
  return r;
}

// Removes the state directory: only the files the launcher writes, and
// rmdir, never a recursive delete: root/ could be a mount point if
// something went badly wrong, and must then stay untouched.
void remove_state_dir(const std::string& name) noexcept {
  std::string dir = container_dir(name);
  for (const char* file : {"state.json", "state.json.tmp", "etc/hostname", "etc/hosts",
                           "etc/resolv.conf"})
    ::unlink((dir + "/" + file).c_str());
  for (const char* sub : {"/etc", "/root", ""}) ::rmdir((dir + sub).c_str());
}

struct ProcStat {
  char state = 0;  // R, S, D, Z (zombie: dead, not yet reaped), ...
  uint64_t start_ticks = 0;
};

ProcStat read_proc_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return {};
  auto paren = text.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return {};
  std::istringstream rest(text.substr(paren + 2));
  ProcStat st;
  std::string field;
  rest >> st.state;
  for (int i = 4; i < 22 && rest >> field; ++i) {
  }
  rest >> st.start_ticks;
  return st;
}

// A zombie counts as gone: a killed launcher's container stays one until
// whoever inherited it reaps it, which a container's PID 1 may never do.
bool alive(pid_t pid, uint64_t start_ticks) {
  if (pid <= 0) return false;
  ProcStat st = read_proc_stat(pid);
  return st.start_ticks == start_ticks && st.state != 'Z' && st.state != 'X';
}

}  // namespace

std::string state_root() {
  const char* dir = std::getenv("NSNET_STATE_DIR");
  return dir && *dir ? dir : "/run/nsnet";
}

std::string container_dir(const std::string& name) { return state_root() + "/run/" + name; }
std::string log_path(const std::string& name) { return state_root() + "/logs/" + name + ".log"; }

uint64_t process_start_ticks(pid_t pid) { return read_proc_stat(pid).start_ticks; }

bool is_running(const ContainerRecord& r) { return alive(r.pid, r.start_ticks); }

bool launcher_alive(const ContainerRecord& r) {
  return alive(r.monitor_pid, r.monitor_start_ticks);
}

const char* status_name(const ContainerRecord& r) {
  if (is_running(r)) return "running";
  if (!launcher_alive(r)) return "dead";
  return r.pid == 0 ? "starting" : "exiting";
}

void write_record(const ContainerRecord& r) {
  std::string dir = container_dir(r.name);
  std::string tmp = dir + "/state.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << to_json(r).dump(2) << "\n";
    if (!out) fail(Code::Io, "cannot write {}", tmp);
  }
  fault_point("run-record-write");  // written, not yet renamed into place
  if (::rename(tmp.c_str(), (dir + "/state.json").c_str()) < 0)
    fail_errno(errno, "rename " + tmp);
}

std::optional<ContainerRecord> read_record(const std::string& name) {
  std::ifstream in(container_dir(name) + "/state.json");
  if (!in) return std::nullopt;
  try {
    return from_json(json::parse(in));
  } catch (const json::exception&) {
    return std::nullopt;  // being written, or left half-written by a crash
  }
}

std::vector<ContainerRecord> list_records() {
  StateLock lock;
  std::vector<ContainerRecord> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(state_root() + "/run", ec)) {
    std::string name = entry.path().filename();
    ContainerRecord bare;
    bare.name = name;
    out.push_back(read_record(name).value_or(bare));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

StateLock::StateLock() {
  make_dirs(state_root());
  std::string path = state_root() + "/run.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) fail_errno(errno, "open " + path);
  while (::flock(fd_, LOCK_EX) < 0)
    if (errno != EINTR) fail_errno(errno, "lock " + path);
}

StateLock::~StateLock() { ::close(fd_); }

void claim_name(const ContainerRecord& first) {
  StateLock lock;
  make_dirs(state_root() + "/run");
  make_dirs(state_root() + "/logs");
  const std::string& name = first.name;
  std::string dir = container_dir(name);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (::mkdir(dir.c_str(), 0755) == 0) {  // readable: a user namespace binds from it
      fault_point("run-claim");  // claimed, no record yet
      make_dirs(dir + "/etc");
      make_dirs(dir + "/root");
      write_record(first);
      return;
    }
    if (errno != EEXIST) fail_errno(errno, "mkdir " + dir);
    if (!sweep_if_dead(name)) {
      auto record = read_record(name);
      fail(Code::Conflict, "container '{}' is already {} (pid {}); stop it with 'nsnet stop {}'",
           name, record ? status_name(*record) : "running", record ? record->pid : 0, name);
    }
  }
  fail(Code::Conflict, "cannot claim container name '{}' ({} exists)", name, dir);
}

void release_name(const std::string& name) noexcept {
  fault_point("run-release");  // the cgroup is gone, the state is not
  try {
    StateLock lock;
    remove_state_dir(name);
  } catch (const std::exception&) {  // no lock: still remove what we own
    remove_state_dir(name);
  }
}

bool sweep_if_dead(const std::string& name) {
  auto record = read_record(name);
  if (record && (is_running(*record) || launcher_alive(*record))) return false;
  if (record)
    Cgroup::adopt(version_from_name(record->cgroup_version), record->cgroup_dirs,
                  record->memory_dir)
        .remove();
  remove_state_dir(name);
  std::string dir = container_dir(name);
  if (::access(dir.c_str(), F_OK) == 0)
    fail(Code::Io, "cannot remove {} of dead container '{}' (is something mounted there? see "
         "/proc/self/mountinfo)", dir, name);
  return true;
}

}  // namespace nsnet::launcher
