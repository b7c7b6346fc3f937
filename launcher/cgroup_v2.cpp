// cgroup v2: one tree. Containers live in /sys/fs/cgroup/nsnet/LEAF: the v2
// "no internal processes" rule forbids enabling controllers below a group
// that has processes, so they cannot nest under the launcher's own group.
// The child is born inside its group with clone3(CLONE_INTO_CGROUP).
#include <fcntl.h>

#include <cmath>
#include <sstream>

#include "launcher/cgroup.hpp"
#include "netlib/error.hpp"

namespace nsnet::launcher {
namespace {

bool listed(const std::string& list, const std::string& name) {
  std::istringstream in(list);
  std::string word;
  while (in >> word)
    if (word == name) return true;
  return false;
}

}  // namespace

CgroupPlan plan_cgroup_v2(const std::string& leaf, const Limits& limits) {
  const std::string root = cgroupfs::root();
  const std::string available = cgroupfs::read(root + "/cgroup.controllers").value_or("");
  struct Need { const char* name; const char* flag; bool wanted; };
  const Need needs[] = {{"memory", "--memory", bool(limits.memory_bytes)},
                        {"pids", "--pids", bool(limits.pids)},
                        {"cpu", "--cpus", bool(limits.cpus)}};
  CgroupPlan plan;
  plan.version = CgroupVersion::V2;
  plan.limits = limits;
  for (const auto& n : needs) {
    if (listed(available, n.name)) {
      plan.enable += std::string(plan.enable.empty() ? "+" : " +") + n.name;
    } else if (n.wanted) {
      fail(Code::NotFound,
           "{} needs the cgroup v2 '{}' controller, which {}/cgroup.controllers does not list; "
           "enable it or drop {}",
           n.flag, n.name, root, n.flag);
    }
  }
  const std::string dir = root + "/" + cgroupfs::kParent + "/" + leaf;
  plan.dirs.push_back(dir);
  if (listed(available, "memory")) plan.memory_dir = dir;
  return plan;
}

Cgroup Cgroup::create_v2(const CgroupPlan& plan) {
  const std::string root = cgroupfs::root();
  const std::string parent = root + "/" + cgroupfs::kParent;
  const std::string& dir = plan.dirs.at(0);
  const Limits& limits = plan.limits;
  Cgroup group;  // removes whatever was made if a step below throws
  group.version_ = CgroupVersion::V2;
  group.dirs_ = plan.dirs;
  group.memory_dir_ = plan.memory_dir;
  cgroupfs::make_dir(parent);
  if (!plan.enable.empty()) {
    for (const auto& d : {root, parent})
      if (int err = cgroupfs::write(d + "/cgroup.subtree_control", plan.enable))
        fail_errno(err, "enable controllers '" + plan.enable + "' in " + d);
  }
  cgroupfs::make_dir(dir);

  if (limits.memory_bytes) {
    cgroupfs::write_limit(dir, "memory.max", std::to_string(*limits.memory_bytes), "--memory");
    if (cgroupfs::read(dir + "/memory.swap.max"))
      cgroupfs::write_limit(dir, "memory.swap.max", "0", "--memory");
  }
  if (limits.pids) cgroupfs::write_limit(dir, "pids.max", std::to_string(*limits.pids), "--pids");
  if (limits.cpus) {
    const long period = 100000;
    cgroupfs::write_limit(dir, "cpu.max",
                          std::to_string(std::lround(*limits.cpus * period)) + " " +
                              std::to_string(period),
                          "--cpus");
  }
  group.clone_fd_.reset(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!group.clone_fd_) fail_errno(errno, "open cgroup " + dir);
  return group;
}

}  // namespace nsnet::launcher
