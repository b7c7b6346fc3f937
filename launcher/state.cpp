#include "launcher/state.hpp"

#include <signal.h>
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
  r.started = j.value("started", int64_t{0});
  r.cgroup_version = j.value("cgroup_version", "");
  r.cgroup_dirs = j.value("cgroup_dirs", std::vector<std::string>{});
  r.memory_dir = j.value("memory_dir", "");
  r.cgroup = j.value("cgroup", "");
  r.command = j.value("command", std::vector<std::string>{});
  r.detached = j.value("detached", false);
  return r;
}

}  // namespace

std::string state_root() {
  const char* dir = std::getenv("NSNET_STATE_DIR");
  return dir && *dir ? dir : "/run/nsnet";
}

std::string container_dir(const std::string& name) { return state_root() + "/run/" + name; }
std::string log_path(const std::string& name) { return state_root() + "/logs/" + name + ".log"; }

uint64_t process_start_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return 0;
  auto paren = text.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return 0;
  std::istringstream rest(text.substr(paren + 2));
  std::string field;
  for (int i = 3; i < 22 && rest >> field; ++i) {
  }
  uint64_t ticks = 0;
  rest >> ticks;
  return ticks;
}

bool is_running(const ContainerRecord& r) {
  return r.pid > 0 && ::kill(r.pid, 0) == 0 && process_start_ticks(r.pid) == r.start_ticks;
}

void write_record(const ContainerRecord& r) {
  std::string dir = container_dir(r.name);
  std::string tmp = dir + "/state.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << to_json(r).dump(2) << "\n";
    if (!out) fail(Code::Io, "cannot write {}", tmp);
  }
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
  std::vector<ContainerRecord> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(state_root() + "/run", ec))
    if (auto r = read_record(entry.path().filename())) out.push_back(*r);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

void claim_name(const std::string& name) {
  make_dirs(state_root() + "/run");
  make_dirs(state_root() + "/logs");
  std::string dir = container_dir(name);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (::mkdir(dir.c_str(), 0755) == 0) {  // readable: a user namespace binds from it
      make_dirs(dir + "/etc");
      make_dirs(dir + "/root");
      return;
    }
    if (errno != EEXIST) fail_errno(errno, "mkdir " + dir);
    auto record = read_record(name);
    if (record && is_running(*record))
      fail(Code::Conflict, "container '{}' is already running (pid {}); stop it with 'nsnet stop {}'",
           name, record->pid, name);
    if (!record) {  // claimed but no record yet: starting now, or crashed while starting
      struct stat st{};
      if (::stat(dir.c_str(), &st) == 0 && ::time(nullptr) - st.st_mtime < 10)
        fail(Code::Conflict, "container '{}' is starting; choose another name with --name", name);
    } else {  // stale: its launcher died without cleaning up
      Cgroup::adopt(version_from_name(record->cgroup_version),
                    record->cgroup_dirs, record->memory_dir)
          .remove();
    }
    release_name(name);
  }
  fail(Code::Conflict, "cannot claim container name '{}' ({} exists)", name, dir);
}

void release_name(const std::string& name) noexcept {
  std::string dir = container_dir(name);
  for (const char* file : {"state.json", "state.json.tmp", "etc/hostname", "etc/hosts",
                           "etc/resolv.conf"})
    ::unlink((dir + "/" + file).c_str());
  // rmdir, never a recursive delete: root/ could be a mount point if
  // something went badly wrong, and must then stay untouched.
  for (const char* sub : {"/etc", "/root", ""}) ::rmdir((dir + sub).c_str());
}

}  // namespace nsnet::launcher
