#include "netlib/routes_sync.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <optional>

#include "netlib/address.hpp"
#include "netlib/error.hpp"
#include "netlib/netlink.hpp"

namespace nsnet {
namespace {

// A route of the main table, as far as node routes care.
struct TableRoute {
  rtnl_route* route;  // owned by the cache
  Cidr dst;
  std::optional<IpAddress> gateway;
  int protocol;
  bool ours() const { return protocol == kNodeRouteProtocol; }
};

std::vector<TableRoute> main_table_routes(nl_cache* cache) {
  std::vector<TableRoute> out;
  for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
    auto* r = reinterpret_cast<rtnl_route*>(o);
    int family = rtnl_route_get_family(r);
    if (rtnl_route_get_table(r) != RT_TABLE_MAIN || (family != AF_INET && family != AF_INET6))
      continue;
    nl_addr* dst = rtnl_route_get_dst(r);
    if (!dst) continue;
    TableRoute t{r, Cidr(ip_from_nl(dst, family), static_cast<int>(nl_addr_get_prefixlen(dst))),
                 std::nullopt, rtnl_route_get_protocol(r)};
    if (rtnl_route_get_nnexthops(r) == 1)
      if (nl_addr* gw = rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(r, 0)))
        t.gateway = ip_from_nl(gw, family);
    out.push_back(t);
  }
  return out;
}

NlCache load_routes(NlSocket& sk) {
  nl_cache* c = nullptr;
  if (int err = rtnl_route_alloc_cache(sk.get(), AF_UNSPEC, 0, &c); err < 0)
    fail_nl(err, "cannot list the routing table");
  return NlCache(c);
}

void add_node_route(NlSocket& sk, const NodeRoute& r) {
  NlRoute route(rtnl_route_alloc());
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!route || !nh) fail(Code::Internal, "cannot allocate a route: out of memory");
  rtnl_route_set_family(route.get(), r.pod_cidr.address().af());
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_protocol(route.get(), kNodeRouteProtocol);
  rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  rtnl_route_set_dst(route.get(), make_nl_addr(r.pod_cidr).get());
  rtnl_route_nh_set_gateway(nh, make_nl_addr(r.via, r.via.bits()).get());
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns nh from here
  // REPLACE moves one of our routes to a new gateway in place, with no gap.
  if (int err = rtnl_route_add(sk.get(), route.get(), NLM_F_CREATE | NLM_F_REPLACE); err < 0)
    fail_nl(err, fmt::format("cannot add route {} via {}; the gateway must be on a subnet "
                             "directly connected to this host (host-gw needs a shared L2)",
                             r.pod_cidr.str(), r.via.str()));
}

std::string describe(const NodeRoute& r) {
  return fmt::format("{} via {}{}", r.pod_cidr.str(), r.via.str(),
                     r.node.empty() ? "" : fmt::format(" (node '{}')", r.node));
}

}  // namespace

RouteSyncResult sync_node_routes(const std::vector<NodeRoute>& wanted, bool dry_run) {
  NlSocket sk = NlSocket::open();
  NlCache cache = load_routes(sk);
  auto table = main_table_routes(cache.get());
  RouteSyncResult result;

  // Removals first, so a subnet that moved between nodes is free again.
  for (const auto& t : table) {
    if (!t.ours()) continue;
    bool still_wanted = std::any_of(wanted.begin(), wanted.end(),
                                    [&](auto& w) { return w.pod_cidr == t.dst; });
    if (still_wanted) continue;
    NodeRoute gone{t.dst, t.gateway.value_or(IpAddress()), {}};
    if (!dry_run) {
      if (int err = rtnl_route_delete(sk.get(), t.route, 0); err < 0) {
        result.failures.push_back(
            fmt::format("cannot remove route {}: {}", describe(gone), nl_geterror(err)));
        continue;
      }
    }
    result.removed.push_back(gone);
  }

  for (const auto& w : wanted) {
    auto same_dst = [&](const TableRoute& t) { return t.dst == w.pod_cidr; };
    auto foreign = std::find_if(table.begin(), table.end(),
                                [&](auto& t) { return same_dst(t) && !t.ours(); });
    if (foreign != table.end()) {
      result.failures.push_back(fmt::format(
          "route {} conflicts with a route to {} that nsnet did not make (proto {}); remove it "
          "(ip route del {}) or fix the node's podCIDR",
          describe(w), w.pod_cidr.str(), foreign->protocol, w.pod_cidr.str()));
      continue;
    }
    bool in_place = std::any_of(table.begin(), table.end(), [&](auto& t) {
      return same_dst(t) && t.ours() && t.gateway == w.via;
    });
    if (in_place) {
      result.unchanged.push_back(w);
      continue;
    }
    try {
      if (!dry_run) add_node_route(sk, w);
      result.added.push_back(w);
    } catch (const Error& e) {
      result.failures.push_back(fmt::format("node '{}': {}", w.node, e.what()));
    }
  }
  return result;
}

std::vector<NodeRoute> installed_node_routes() {
  NlSocket sk = NlSocket::open();
  NlCache cache = load_routes(sk);
  std::vector<NodeRoute> out;
  for (const auto& t : main_table_routes(cache.get()))
    if (t.ours()) out.push_back({t.dst, t.gateway.value_or(IpAddress()), {}});
  return out;
}

std::vector<IpAddress> local_addresses() {
  NlSocket sk = NlSocket::open();
  std::vector<IpAddress> out;
  for (const auto& a : with_context("cannot list the addresses of this host",
                                    [&] { return list_addresses(sk); }))
    out.push_back(a.cidr.address());
  return out;
}

}  // namespace nsnet
