#include "netlib/route.hpp"

#include <linux/rtnetlink.h>
#include <netlink/errno.h>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

IpAddress from_nl(nl_addr* a, int family) {
  auto fam = family == AF_INET ? IpAddress::Family::V4 : IpAddress::Family::V6;
  uint8_t zeros[16] = {};
  // A default route's destination is an empty address.
  bool empty = !a || nl_addr_get_len(a) == 0;
  return IpAddress::from_bytes(fam, empty ? zeros : nl_addr_get_binary_addr(a));
}

}  // namespace

Cidr default_destination(const IpAddress& like) {
  return Cidr(like.masked(0), 0);
}

bool add_route(NlSocket& sock, int ifindex, const Route& route) {
  NlRoute r(rtnl_route_alloc());
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  if (!r || !nh) throw Error(Code::Internal, "out of memory allocating a route");
  rtnl_route_set_family(r.get(), route.dst.address().af());
  rtnl_route_set_table(r.get(), RT_TABLE_MAIN);
  rtnl_route_set_protocol(r.get(), RTPROT_BOOT);
  rtnl_route_set_scope(r.get(), route.gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
  rtnl_route_set_dst(r.get(), make_nl_addr(route.dst.network()).get());
  rtnl_route_nh_set_ifindex(nh, ifindex);
  if (route.gw) rtnl_route_nh_set_gateway(nh, make_nl_addr(*route.gw, route.gw->bits()).get());
  rtnl_route_add_nexthop(r.get(), nh);  // the route owns nh from here on
  int err = rtnl_route_add(sock.get(), r.get(), NLM_F_EXCL);
  if (err == -NLE_EXIST) return false;
  if (err < 0)
    fail_nl(err, fmt::format("cannot add route {}{}", route.dst.network().str(),
                             route.gw ? " via " + route.gw->str() : std::string()));
  return true;
}

std::vector<RouteInfo> list_routes(NlSocket& sock, int family) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_route_alloc_cache(sock.get(), family, 0, &raw); err < 0)
    fail_nl(err, "cannot list routes");
  NlCache cache(raw);
  std::vector<RouteInfo> out;
  for (nl_object* o = nl_cache_get_first(raw); o; o = nl_cache_get_next(o)) {
    auto* r = reinterpret_cast<rtnl_route*>(o);
    if (rtnl_route_get_table(r) != RT_TABLE_MAIN) continue;
    int fam = rtnl_route_get_family(r);
    if (fam != AF_INET && fam != AF_INET6) continue;
    nl_addr* dst = rtnl_route_get_dst(r);
    RouteInfo info;
    info.route.dst = Cidr(from_nl(dst, fam), dst ? static_cast<int>(nl_addr_get_prefixlen(dst)) : 0);
    if (rtnl_route_get_nnexthops(r) == 1) {
      rtnl_nexthop* nh = rtnl_route_nexthop_n(r, 0);
      info.ifindex = rtnl_route_nh_get_ifindex(nh);
      if (nl_addr* gw = rtnl_route_nh_get_gateway(nh)) info.route.gw = from_nl(gw, fam);
    }
    out.push_back(info);
  }
  return out;
}

}  // namespace nsnet
