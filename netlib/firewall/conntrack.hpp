// Conntrack cleanup for published UDP ports. UDP "connections" live on in
// conntrack as long as packets keep coming: a client that sent to a port
// before it was published (or while it pointed at a container since gone)
// keeps hitting the stale entry and is black-holed. Publish and unpublish
// therefore delete the entries for the host port, over netlink.
#pragma once

#include "netlib/attachment.hpp"

namespace nsnet {

// Deletes the conntrack entries of UDP traffic to m's host port (and host IP,
// if it has one). No-op for tcp and sctp. Returns how many were deleted.
// Throws Error(Kernel) if conntrack cannot be reached over netlink.
int flush_udp_conntrack(const PortMapping& m);

}  // namespace nsnet
