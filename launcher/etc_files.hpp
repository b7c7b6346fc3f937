// /etc/hostname, /etc/hosts and /etc/resolv.conf for one container, written
// into its state directory and bind-mounted read-only over the container's.
#pragma once

#include <string>

namespace nsnet::launcher {

// Like `ip netns exec`, files in /etc/netns/NETNS/ win over generated ones
// (hosts) and the host's (resolv.conf).
void write_etc_files(const std::string& dir, const std::string& hostname, const std::string& netns);

}  // namespace nsnet::launcher
