// Creating the container: clone3 into new namespaces (and, on cgroup v2,
// straight into its cgroup), then the child's setup sequence up to exec.
#pragma once

#include <sys/types.h>

#include "launcher/process_spec.hpp"
#include "netlib/fd.hpp"  // header only: no link dependency on netlib

namespace nsnet::launcher {

// Two CLOEXEC pipes between launcher and child. "go" holds the child until
// the parent has written uid/gid maps and (v1) moved it into its cgroups;
// "error" carries a ChildFailure back, or EOF once the program was exec'd.
struct SyncPipes {
  UniqueFd error_read, error_write, go_read, go_write;
  static SyncPipes make();
};

// Clones the container's init. cgroup_fd >= 0: born in that v2 cgroup.
// Returns the host pid in the parent; the child never returns. The parent's
// ends of the pipes stay open, the child's ends are closed here.
pid_t spawn_container(const ProcessSpec& spec, int cgroup_fd, SyncPipes& pipes);

}  // namespace nsnet::launcher
