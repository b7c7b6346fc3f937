// Installs host-gw routes to the other nodes' pod subnets in the main routing
// table of the current netns, and removes the ones no longer wanted.
//
// Ownership: every route we make carries the route protocol number
// kNodeRouteProtocol, and we only ever list, replace or delete routes with
// that number; a route to the same subnet made by anyone else is a conflict,
// never overwritten.
#pragma once

#include <string>
#include <vector>

#include "netlib/cluster_nodes.hpp"

namespace nsnet {

// Route protocol ("proto") of nsnet's node routes. 110 is unassigned in
// iproute2's rt_protos and the kernel's rtnetlink.h (which uses 0-4 and a few
// of 8-192: zebra 11, bird 12, babel 42, bgp 186...). `ip route show proto 110`
// lists ours; an rt_protos.d entry "110 nsnet" makes iproute2 print the name.
inline constexpr int kNodeRouteProtocol = 110;

struct RouteSyncResult {
  std::vector<NodeRoute> added;      // new, or replacing one of ours with another gateway
  std::vector<NodeRoute> removed;    // ours, no longer wanted
  std::vector<NodeRoute> unchanged;
  std::vector<std::string> failures; // one line per route that could not be set
};

// Makes the main table hold exactly `wanted` among routes of our protocol.
// Does every route it can; what failed is listed in failures (the caller
// decides the exit status). With dry_run, reports what it would do.
RouteSyncResult sync_node_routes(const std::vector<NodeRoute>& wanted, bool dry_run);

// The node routes installed now (node names are not known to the kernel: empty).
std::vector<NodeRoute> installed_node_routes();

// Every address configured on an interface of the current netns.
std::vector<IpAddress> local_addresses();

}  // namespace nsnet
