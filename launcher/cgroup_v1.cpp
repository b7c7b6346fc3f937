// cgroup v1: one hierarchy per controller at /sys/fs/cgroup/CONTROLLER. The
// container's groups nest under the launcher's own group in each hierarchy
// (from /proc/self/cgroup), so limits set on the launcher still apply.
#include <cmath>
#include <sstream>

#include "launcher/cgroup.hpp"
#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

struct Controller {
  const char* name;
  const char* flag;  // the option that needs it
  bool wanted;
};

// The launcher's path in the hierarchy that holds `controller`.
std::string own_path(const std::string& controller) {
  std::istringstream in(cgroupfs::read("/proc/self/cgroup").value_or(""));
  std::string line;
  while (std::getline(in, line)) {  // "4:memory:/some/path" or "1:cpu,cpuacct:/"
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::istringstream names(line.substr(first + 1, second - first - 1));
    std::string name;
    while (std::getline(names, name, ','))
      if (name == controller) {
        std::string path = line.substr(second + 1);
        return path == "/" ? "" : path;
      }
  }
  return "";
}

}  // namespace

CgroupPlan plan_cgroup_v1(const std::string& leaf, const Limits& limits) {
  CgroupPlan plan;
  plan.version = CgroupVersion::V1;
  plan.limits = limits;
  const Controller controllers[] = {{"memory", "--memory", bool(limits.memory_bytes)},
                                    {"pids", "--pids", bool(limits.pids)},
                                    {"cpu", "--cpus", bool(limits.cpus)}};
  for (const auto& c : controllers) {
    std::string mount = cgroupfs::root() + "/" + c.name;
    if (!cgroupfs::is_cgroup_mount(mount, false)) {
      if (!c.wanted) continue;  // only accounting is lost
      fail(Code::NotFound,
           "{} needs the cgroup v1 '{}' controller, which is not mounted at {}; "
           "enable it or drop {}",
           c.flag, c.name, mount, c.flag);
    }
    std::string dir = fmt::format("{}{}/{}/{}", mount, own_path(c.name), cgroupfs::kParent, leaf);
    plan.dirs.push_back(dir);
    if (std::string(c.name) == "memory") plan.memory_dir = dir;
  }
  return plan;
}

Cgroup Cgroup::create_v1(const CgroupPlan& plan) {
  Cgroup group;  // removes whatever was made if a step below throws
  group.version_ = CgroupVersion::V1;
  group.memory_dir_ = plan.memory_dir;
  for (const auto& dir : plan.dirs) {
    group.dirs_.push_back(dir);
    cgroupfs::make_dir(dir);
  }
  const Limits& limits = plan.limits;
  if (limits.memory_bytes) {
    auto bytes = std::to_string(*limits.memory_bytes);
    cgroupfs::write_limit(group.memory_dir_, "memory.limit_in_bytes", bytes, "--memory");
    // Without swap accounting there is no memsw file, and swap is not limited.
    if (cgroupfs::read(group.memory_dir_ + "/memory.memsw.limit_in_bytes"))
      cgroupfs::write_limit(group.memory_dir_, "memory.memsw.limit_in_bytes", bytes, "--memory");
  }
  for (const auto& dir : group.dirs_) {
    if (limits.pids && dir.find("/pids/") != std::string::npos)
      cgroupfs::write_limit(dir, "pids.max", std::to_string(*limits.pids), "--pids");
    if (limits.cpus && dir.find("/cpu/") != std::string::npos) {
      const long period = 100000;
      cgroupfs::write_limit(dir, "cpu.cfs_period_us", std::to_string(period), "--cpus");
      auto quota = std::lround(*limits.cpus * period);
      cgroupfs::write_limit(dir, "cpu.cfs_quota_us", std::to_string(quota), "--cpus");
    }
  }
  return group;
}

}  // namespace nsnet::launcher
