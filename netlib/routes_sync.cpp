#include "netlib/routes_sync.hpp"

#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

// TODO(fold): the netlink RAII and nl_addr conversions duplicate what the
// kernel layer of netlib will offer; fold into it once it is on main.
struct SockFree { void operator()(nl_sock* s) const { nl_socket_free(s); } };
struct CacheFree { void operator()(nl_cache* c) const { nl_cache_free(c); } };
struct RouteFree { void operator()(rtnl_route* r) const { rtnl_route_put(r); } };
struct AddrFree { void operator()(nl_addr* a) const { nl_addr_put(a); } };
using Socket = std::unique_ptr<nl_sock, SockFree>;
using Cache = std::unique_ptr<nl_cache, CacheFree>;
using RoutePtr = std::unique_ptr<rtnl_route, RouteFree>;
using AddrPtr = std::unique_ptr<nl_addr, AddrFree>;

[[noreturn]] void fail_nl(int err, const std::string& what) {
  fail(Code::Kernel, "{}: {}", what, nl_geterror(err));
}

Socket connect_route_socket() {
  Socket sk(nl_socket_alloc());
  if (!sk) fail(Code::Internal, "cannot allocate a netlink socket: out of memory");
  if (int err = nl_connect(sk.get(), NETLINK_ROUTE); err < 0)
    fail_nl(err, "cannot open a netlink route socket");
  return sk;
}

IpAddress to_ip(nl_addr* a) {
  int family = nl_addr_get_family(a);
  IpAddress::Family f = family == AF_INET6 ? IpAddress::Family::V6 : IpAddress::Family::V4;
  // A default route's dst has no bytes at all; its address is all zeroes.
  uint8_t bytes[16] = {};
  std::copy_n(static_cast<const uint8_t*>(nl_addr_get_binary_addr(a)),
              std::min<unsigned>(nl_addr_get_len(a), sizeof bytes), bytes);
  return IpAddress::from_bytes(f, bytes);
}

AddrPtr to_nl_addr(const IpAddress& ip, int prefix) {
  AddrPtr a(nl_addr_build(ip.af(), ip.bytes(), ip.size()));
  if (!a) fail(Code::Internal, "cannot build a netlink address for {}: out of memory", ip.str());
  nl_addr_set_prefixlen(a.get(), prefix);
  return a;
}

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
    TableRoute t{r, Cidr(to_ip(dst), static_cast<int>(nl_addr_get_prefixlen(dst))), std::nullopt,
                 rtnl_route_get_protocol(r)};
    if (rtnl_route_get_nnexthops(r) == 1)
      if (nl_addr* gw = rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(r, 0))) t.gateway = to_ip(gw);
    out.push_back(t);
  }
  return out;
}

Cache load_routes(nl_sock* sk) {
  nl_cache* c = nullptr;
  if (int err = rtnl_route_alloc_cache(sk, AF_UNSPEC, 0, &c); err < 0)
    fail_nl(err, "cannot list the routing table");
  return Cache(c);
}

void add_route(nl_sock* sk, const NodeRoute& r) {
  RoutePtr route(rtnl_route_alloc());
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!route || !nh) fail(Code::Internal, "cannot allocate a route: out of memory");
  rtnl_route_set_family(route.get(), r.pod_cidr.address().af());
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_protocol(route.get(), kNodeRouteProtocol);
  rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  rtnl_route_set_dst(route.get(), to_nl_addr(r.pod_cidr.address(), r.pod_cidr.prefix()).get());
  rtnl_route_nh_set_gateway(nh, to_nl_addr(r.via, r.via.bits()).get());
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns nh from here
  // REPLACE moves one of our routes to a new gateway in place, with no gap.
  if (int err = rtnl_route_add(sk, route.get(), NLM_F_CREATE | NLM_F_REPLACE); err < 0)
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
  Socket sk = connect_route_socket();
  Cache cache = load_routes(sk.get());
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
      if (!dry_run) add_route(sk.get(), w);
      result.added.push_back(w);
    } catch (const Error& e) {
      result.failures.push_back(fmt::format("node '{}': {}", w.node, e.what()));
    }
  }
  return result;
}

std::vector<NodeRoute> installed_node_routes() {
  Socket sk = connect_route_socket();
  Cache cache = load_routes(sk.get());
  std::vector<NodeRoute> out;
  for (const auto& t : main_table_routes(cache.get()))
    if (t.ours()) out.push_back({t.dst, t.gateway.value_or(IpAddress()), {}});
  return out;
}

std::vector<IpAddress> local_addresses() {
  Socket sk = connect_route_socket();
  nl_cache* c = nullptr;
  if (int err = rtnl_addr_alloc_cache(sk.get(), &c); err < 0)
    fail_nl(err, "cannot list the addresses of this host");
  Cache cache(c);
  std::vector<IpAddress> out;
  for (nl_object* o = nl_cache_get_first(c); o; o = nl_cache_get_next(o))
    if (nl_addr* a = rtnl_addr_get_local(reinterpret_cast<rtnl_addr*>(o))) out.push_back(to_ip(a));
  return out;
}

}  // namespace nsnet
