// Routes in the main table.
#pragma once

#include <optional>
#include <vector>

#include "netlib/network.hpp"
#include "netlib/netlink.hpp"

namespace nsnet {

// Adds dst via gw (if any) out of ifindex, after any other route to dst.
// Returns false if this very route existed.
bool add_route(NlSocket& sock, int ifindex, const Route& route);

struct RouteInfo {
  Route route;
  int ifindex = 0;  // output interface, 0 if none (e.g. blackhole)
};
// The routes of the main table of family AF_INET or AF_INET6 (0: both), all
// of them (two default routes through different links too); a multipath
// route gives one entry per nexthop.
std::vector<RouteInfo> list_routes(NlSocket& sock, int family = 0);

// A default route for the family of `gw` (0.0.0.0/0 or ::/0).
Cidr default_destination(const IpAddress& like);

}  // namespace nsnet
