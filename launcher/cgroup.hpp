// A container's cgroup: created with its limits before the container starts,
// removed (with anything left in it) when the owner goes away.
//
// The version is detected the way crun does it: statfs("/sys/fs/cgroup") is
// cgroup2 on a unified host, tmpfs on a v1 or hybrid host (v1 controllers in
// /sys/fs/cgroup/CONTROLLER, maybe an empty v2 tree at /sys/fs/cgroup/unified).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "launcher/options.hpp"
#include "netlib/fd.hpp"  // header only: no link dependency on netlib

namespace nsnet::launcher {

enum class CgroupVersion { V1, V2 };

CgroupVersion detect_cgroup_version();  // throws when neither
const char* version_name(CgroupVersion v);
CgroupVersion version_from_name(const std::string& name);  // "v1" or "v2"

// A container's cgroup(s) worked out before anything is made: the
// directories, and the controllers checked. The launcher records the plan
// first, so a launcher killed while making them leaves nothing its record
// does not name (nsnet rm removes it).
struct CgroupPlan {
  CgroupVersion version = CgroupVersion::V1;
  std::vector<std::string> dirs;  // leaf directories, one per v1 hierarchy
  std::string memory_dir;         // the one holding memory.* files, if any
  std::string enable;             // v2: controllers for subtree_control ("+memory +pids")
  Limits limits;
};

// Plans cgroup(s) named `leaf` under an nsnet/ parent. A limit whose
// controller is missing throws nsnet::Error.
CgroupPlan plan_cgroup(const std::string& leaf, const Limits& limits);

// The path ps shows: relative to the hierarchy's mount.
std::string cgroup_display_path(CgroupVersion v, const std::vector<std::string>& dirs,
                                const std::string& memory_dir);

class Cgroup {
 public:
  // Makes the planned cgroup(s) and writes the limits. A value the kernel
  // refuses throws nsnet::Error; nothing is left behind then.
  static Cgroup create(const CgroupPlan& plan);
  // Takes over cgroups recorded by another launcher (for nsnet stop).
  static Cgroup adopt(CgroupVersion v, std::vector<std::string> dirs, std::string memory_dir);

  Cgroup(Cgroup&&) noexcept = default;
  Cgroup& operator=(Cgroup&&) = delete;
  ~Cgroup() { remove(); }

  CgroupVersion version() const { return version_; }
  const std::vector<std::string>& dirs() const { return dirs_; }
  const std::string& memory_dir() const { return memory_dir_; }
  // v2: an fd for clone3(CLONE_INTO_CGROUP); -1 on v1.
  int clone_fd() const { return clone_fd_.get(); }
  // Moves a process in (v1, where the child waits on a pipe until this is done).
  void add_process(pid_t pid) const;

  uint64_t oom_kills() const;
  std::optional<uint64_t> memory_usage() const;

  // Kills what is still inside and removes the directories. Never throws.
  void remove() noexcept;

 private:
  Cgroup() = default;
  static Cgroup create_v1(const CgroupPlan& plan);
  static Cgroup create_v2(const CgroupPlan& plan);

  CgroupVersion version_ = CgroupVersion::V1;
  std::vector<std::string> dirs_;  // leaf directories, one per v1 hierarchy
  std::string memory_dir_;         // the one holding memory.* files, if any
  UniqueFd clone_fd_;
};

// The two halves of plan_cgroup (cgroup_v1.cpp, cgroup_v2.cpp).
CgroupPlan plan_cgroup_v1(const std::string& leaf, const Limits& limits);
CgroupPlan plan_cgroup_v2(const std::string& leaf, const Limits& limits);

// Memory in use by a cgroup, read without owning it (for nsnet ps).
std::optional<uint64_t> memory_usage_of(CgroupVersion v, const std::string& memory_dir);

// Shared by the v1 and v2 halves.
namespace cgroupfs {
// /sys/fs/cgroup, or $NSNET_CGROUP_ROOT (e.g. the v2 tree of a hybrid host,
// /sys/fs/cgroup/unified, to exercise the v2 path there).
std::string root();
inline constexpr const char* kParent = "nsnet";  // groups all containers
int write(const std::string& path, const std::string& value);  // 0 or errno
std::optional<std::string> read(const std::string& path);
bool is_cgroup_mount(const std::string& path, bool v2);
// Makes dir and any missing parent.
void make_dir(const std::string& dir);
// Writes a limit, throwing a message that names the flag, the file and the
// kernel's answer.
void write_limit(const std::string& dir, const std::string& file, const std::string& value,
                 const std::string& flag);
}  // namespace cgroupfs

}  // namespace nsnet::launcher
