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

Cgroup Cgroup::create_v2(const std::string& leaf, const Limits& limits) {
  const std::string root = cgroupfs::root();
  const std::string parent = root + "/" + cgroupfs::kParent;
  const std::string available = cgroupfs::read(root + "/cgroup.controllers").value_or("");
  struct Need { const char* name; const char* flag; bool wanted; };
  const Need needs[] = {{"memory", "--memory", bool(limits.memory_bytes)},
                        {"pids", "--pids", bool(limits.pids)},
                        {"cpu", "--cpus", bool(limits.cpus)}};

  std::string enable;
  for (const auto& n : needs) {
    if (listed(available, n.name)) {
      enable += std::string(enable.empty() ? "+" : " +") + n.name;
    } else if (n.wanted) {
      fail(Code::NotFound,
           "{} needs the cgroup v2 '{}' controller, which {}/cgroup.controllers does not list; "
           "enable it or drop {}",
           n.flag, n.name, root, n.flag);
    }
  }
  Cgroup group;
  group.version_ = CgroupVersion::V2;
  cgroupfs::make_dir(parent);
  if (!enable.empty()) {
    for (const auto& dir : {root, parent})
      if (int err = cgroupfs::write(dir + "/cgroup.subtree_control", enable))
        fail_errno(err, "enable controllers '" + enable + "' in " + dir);
  }
  const std::string dir = parent + "/" + leaf;
  cgroupfs::make_dir(dir);
  group.dirs_.push_back(dir);
  if (listed(available, "memory")) group.memory_dir_ = dir;

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
