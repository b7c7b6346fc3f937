#include "netlib/route.hpp"

#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>

#include "netlib/error.hpp"

namespace nsnet {
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
  // APPEND, not EXCL: a route to the same destination through another
  // interface (a second network's default route) is added after the one in
  // place, which stays in use until its interface goes; only the very same
  // route is EEXIST.
  int err = rtnl_route_add(sock.get(), r.get(), NLM_F_CREATE | NLM_F_APPEND);
  if (err == -NLE_EXIST) return false;
  if (err < 0)
    fail_nl(err, fmt::format("cannot add route {}{}", route.dst.network().str(),
                             route.gw ? " via " + route.gw->str() : std::string()));
  return true;
}

namespace {

// One route of a dump, if it is of the main table: one entry per nexthop, as
// an IPv6 multipath route (two networks' default routes of equal metric
// become one) holds each attachment's own.
void collect_route(rtnl_route* r, std::vector<RouteInfo>& out) {
  if (rtnl_route_get_table(r) != RT_TABLE_MAIN) return;
  int fam = rtnl_route_get_family(r);
  if (fam != AF_INET && fam != AF_INET6) return;
  nl_addr* dst = rtnl_route_get_dst(r);
  Cidr dst_cidr(ip_from_nl(dst, fam), dst ? static_cast<int>(nl_addr_get_prefixlen(dst)) : 0);
  int hops = rtnl_route_get_nnexthops(r);
  if (hops == 0) out.push_back({{dst_cidr, std::nullopt}, 0});
  for (int i = 0; i < hops; ++i) {
    rtnl_nexthop* nh = rtnl_route_nexthop_n(r, i);
    RouteInfo info{{dst_cidr, std::nullopt}, rtnl_route_nh_get_ifindex(nh)};
    if (nl_addr* gw = rtnl_route_nh_get_gateway(nh)) info.route.gw = ip_from_nl(gw, fam);
    out.push_back(info);
  }
}

int on_route_message(nl_msg* msg, void* out) {
  rtnl_route* parsed = nullptr;
  if (rtnl_route_parse(nlmsg_hdr(msg), &parsed) < 0) return NL_SKIP;
  NlRoute route(parsed);
  collect_route(route.get(), *static_cast<std::vector<RouteInfo>*>(out));
  return NL_OK;
}

}  // namespace

// A plain dump, not a libnl cache: a cache keeps one route per (table, dst,
// tos, priority) and so hides a second network's default route.
std::vector<RouteInfo> list_routes(NlSocket& sock, int family) {
  rtmsg request{};
  request.rtm_family = static_cast<unsigned char>(family);
  if (int err = nl_send_simple(sock.get(), RTM_GETROUTE, NLM_F_DUMP, &request, sizeof request); err < 0)
    fail_nl(err, "cannot list routes");
  std::vector<RouteInfo> out;
  std::unique_ptr<nl_cb, NlDeleter<nl_cb_put>> cb(nl_cb_alloc(NL_CB_DEFAULT));
  if (!cb) throw Error(Code::Internal, "out of memory listing routes");
  nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_route_message, &out);
  if (int err = nl_recvmsgs(sock.get(), cb.get()); err < 0) fail_nl(err, "cannot list routes");
  return out;
}

}  // namespace nsnet
