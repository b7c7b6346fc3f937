// The container's filesystem: a plan made in the parent (paths, sources,
// flags, all allocated up front) and applied in the child without
// allocating, ending in pivot_root (or chroot in the teaching mode).
#pragma once

#include <string>
#include <vector>

#include "launcher/child_report.hpp"
#include "launcher/options.hpp"

namespace nsnet::launcher {

struct MountEntry {
  enum class Kind {
    Bind,      // source (host path) onto target; is_dir says what to create
    Tmpfs,     // data holds the options (mode=...)
    Proc,      // a fresh procfs for the new PID namespace
    Devpts,    // a private devpts instance
    Symlink,   // target -> source
    Mask,      // hide target: /dev/null over a file, an empty read-only tmpfs over a dir
    ReadOnly,  // remount target read-only (a bind onto itself)
  };
  Kind kind;
  std::string target;  // absolute, inside the container root
  std::string source;
  std::string data;
  bool is_dir = true;
  bool read_only = false;
  unsigned long flags = 0;
};

struct RootPlan {
  std::string root;        // directory that becomes "/"
  bool host_root = false;  // root is an empty staging dir: bind the host's / there, read-only
  bool chroot_mode = false;
  std::vector<MountEntry> mounts;  // applied in order inside root
};

// Parent side. etc_dir holds the hostname, hosts and resolv.conf files made
// for this container; staging is an empty directory used without --rootfs.
// Throws nsnet::Error for a missing rootfs, a missing bind source or a
// /dev/null that is not the real device.
RootPlan plan_root(const RunOptions& opts, const std::string& etc_dir, const std::string& staging);

// Child side: makes the mount namespace private, builds the tree and
// switches root. Afterwards the cwd is the new "/".
StepResult enter_root(const RootPlan& plan);

}  // namespace nsnet::launcher
