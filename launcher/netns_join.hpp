// Joining a named network namespace needs no netlink: it is an nsfs inode
// bind-mounted at /run/netns/NAME (iproute2's convention), so open + setns.
#pragma once

#include <string>

#include "launcher/child_report.hpp"
#include "netlib/fd.hpp"  // header only: no link dependency on netlib

namespace nsnet::launcher {

// Opens /run/netns/NAME, checking it really is a namespace (a stale entry is
// an empty file). Throws nsnet::Error(NotFound) with the remedy.
UniqueFd open_named_netns(const std::string& name);

// Moves the calling thread into `target` for its lifetime, then back. The
// launcher clones from inside the target netns so that a user namespace
// created by that clone comes after (and does not own) the netns.
class NetnsGuard {
 public:
  explicit NetnsGuard(int target);
  ~NetnsGuard();
  NetnsGuard(const NetnsGuard&) = delete;
  NetnsGuard& operator=(const NetnsGuard&) = delete;

 private:
  UniqueFd original_;
};

// Child side: brings lo up in the current netns with SIOCSIFFLAGS.
StepResult bring_loopback_up();

// Writes net.ipv4.ip_unprivileged_port_start for the current netns.
StepResult set_unprivileged_port_start(int port);

}  // namespace nsnet::launcher
