#include "launcher/cgroup.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "netlib/error.hpp"

namespace nsnet::launcher {

namespace cgroupfs {

std::string root() {
  const char* dir = std::getenv("NSNET_CGROUP_ROOT");
  return dir && *dir ? dir : "/sys/fs/cgroup";
}

int write(const std::string& path, const std::string& value) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return errno;
  if (::write(fd.get(), value.data(), value.size()) < 0) return errno;
  return 0;
}

std::optional<std::string> read(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool is_cgroup_mount(const std::string& path, bool v2) {
  struct statfs fs{};
  if (::statfs(path.c_str(), &fs) < 0) return false;
  return fs.f_type == (v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC);
}

// Another launcher removes the shared parent (nsnet/) when it leaves it
// empty, which can happen between our mkdir of the parent and of the child:
// ENOENT then means "make the parent again", a bounded number of times.
void make_dir(const std::string& dir) {
  auto slash = dir.rfind('/');
  for (int attempt = 1;; ++attempt) {
    if (slash != std::string::npos && slash > 0 && ::access(dir.substr(0, slash).c_str(), F_OK) < 0)
      make_dir(dir.substr(0, slash));
    if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) return;
    if (errno != ENOENT || attempt == 20) fail_errno(errno, "mkdir " + dir);
  }
}

void write_limit(const std::string& dir, const std::string& file, const std::string& value,
                 const std::string& flag) {
  if (int err = write(dir + "/" + file, value))
    fail(Code::Kernel, "the kernel refused {} ({} = {} in {}): {}", flag, file, value, dir,
         std::strerror(err));
}

}  // namespace cgroupfs

namespace {

// "oom_kill 3" in a flat keyed file.
uint64_t keyed_value(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string k;
  uint64_t v = 0;
  while (in >> k >> v)
    if (k == key) return v;
  return 0;
}

void kill_members(const std::string& dir) {
  auto procs = cgroupfs::read(dir + "/cgroup.procs");
  if (!procs) return;
  std::istringstream in(*procs);
  pid_t pid;
  while (in >> pid) ::kill(pid, SIGKILL);
}

// Processes leave a cgroup only once reaped, so rmdir can briefly see EBUSY.
void remove_dir(const std::string& dir) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
    if (errno != EBUSY) return;
    kill_members(dir);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The mount a leaf lives in: everything before "/nsnet/".
std::string hierarchy_of(const std::string& dir) {
  auto pos = dir.rfind(std::string("/") + cgroupfs::kParent + "/");
  return pos == std::string::npos ? dir : dir.substr(0, pos);
}

}  // namespace

CgroupVersion detect_cgroup_version() {
  struct statfs fs{};
  const std::string root = cgroupfs::root();
  if (::statfs(root.c_str(), &fs) < 0) fail_errno(errno, "statfs " + root + " (is sysfs mounted?)");
  if (fs.f_type == CGROUP2_SUPER_MAGIC) return CgroupVersion::V2;
  if (fs.f_type == TMPFS_MAGIC) return CgroupVersion::V1;  // legacy or hybrid
  fail(Code::NotFound, "{} is neither cgroup2 nor a tmpfs of v1 hierarchies; mount cgroups first",
       root);
}

const char* version_name(CgroupVersion v) { return v == CgroupVersion::V2 ? "v2" : "v1"; }

CgroupVersion version_from_name(const std::string& name) {
  return name == "v2" ? CgroupVersion::V2 : CgroupVersion::V1;
}

CgroupPlan plan_cgroup(const std::string& leaf, const Limits& limits) {
  return detect_cgroup_version() == CgroupVersion::V2 ? plan_cgroup_v2(leaf, limits)
                                                      : plan_cgroup_v1(leaf, limits);
}

Cgroup Cgroup::create(const CgroupPlan& plan) {
  return plan.version == CgroupVersion::V2 ? create_v2(plan) : create_v1(plan);
}

Cgroup Cgroup::adopt(CgroupVersion v, std::vector<std::string> dirs, std::string memory_dir) {
  Cgroup c;
  c.version_ = v;
  c.dirs_ = std::move(dirs);
  c.memory_dir_ = std::move(memory_dir);
  return c;
}

std::string cgroup_display_path(CgroupVersion v, const std::vector<std::string>& dirs,
                                const std::string& memory_dir) {
  if (dirs.empty()) return "-";
  const std::string& dir = memory_dir.empty() ? dirs[0] : memory_dir;
  auto rest = dir.substr(cgroupfs::root().size());
  if (v == CgroupVersion::V1) rest = rest.substr(rest.find('/', 1));  // drop /memory
  return rest;
}

void Cgroup::add_process(pid_t pid) const {
  for (const auto& dir : dirs_)
    if (int err = cgroupfs::write(dir + "/cgroup.procs", std::to_string(pid)))
      fail_errno(err, "move process " + std::to_string(pid) + " into cgroup " + dir);
}

uint64_t Cgroup::oom_kills() const {
  if (memory_dir_.empty()) return 0;
  auto file = version_ == CgroupVersion::V2 ? "/memory.events" : "/memory.oom_control";
  return keyed_value(cgroupfs::read(memory_dir_ + file).value_or(""), "oom_kill");
}

std::optional<uint64_t> Cgroup::memory_usage() const {
  return memory_usage_of(version_, memory_dir_);
}

std::optional<uint64_t> memory_usage_of(CgroupVersion v, const std::string& memory_dir) {
  if (memory_dir.empty()) return std::nullopt;
  auto file = v == CgroupVersion::V2 ? "/memory.current" : "/memory.usage_in_bytes";
  auto text = cgroupfs::read(memory_dir + file);
  if (!text) return std::nullopt;
  try {
    return std::stoull(*text);
  } catch (...) {
    return std::nullopt;
  }
}

void Cgroup::remove() noexcept {
  clone_fd_.reset();
  for (const auto& dir : dirs_) {
    if (version_ == CgroupVersion::V2) cgroupfs::write(dir + "/cgroup.kill", "1");
    kill_members(dir);
    remove_dir(dir);
    ::rmdir((hierarchy_of(dir) + "/" + cgroupfs::kParent).c_str());  // only if now empty
  }
  dirs_.clear();
  memory_dir_.clear();
}

}  // namespace nsnet::launcher
