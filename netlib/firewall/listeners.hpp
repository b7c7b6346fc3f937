// Host processes already listening on a port we are asked to publish: DNAT
// would silently steal their traffic, so `nsnet` refuses and names them.
// (Not the CNI path: runtimes such as Podman hold the host port open
// themselves, as their reservation, before calling the plugin.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "netlib/attachment.hpp"

namespace nsnet {

// For each mapping m: "sshd (pid 412) on 0.0.0.0:2525/tcp" for the first
// socket in the calling thread's netns that listens (tcp) or is bound (udp)
// on m's host port at m's host IP or a wildcard; nullopt if none. sctp is not
// checked. Each socket table is read once for all mappings, through
// sock_diag (a read of /proc/net/tcp walks the kernel's whole socket hash:
// milliseconds), and /proc/net only where sock_diag is not available.
std::vector<std::optional<std::string>> find_host_listeners(
    const std::vector<PortMapping>& mappings);

}  // namespace nsnet
