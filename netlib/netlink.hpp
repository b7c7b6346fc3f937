// RAII for libnl-route: a NETLINK_ROUTE socket bound to one network namespace,
// and owning pointers for the libnl objects the link/address/route code uses.
#pragma once

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include <memory>
#include <string>
#include <string_view>

#include "netlib/ip.hpp"

namespace nsnet {

template <auto Free>
struct NlDeleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};

using NlLink = std::unique_ptr<rtnl_link, NlDeleter<rtnl_link_put>>;
using NlAddr = std::unique_ptr<nl_addr, NlDeleter<nl_addr_put>>;
using NlRtAddr = std::unique_ptr<rtnl_addr, NlDeleter<rtnl_addr_put>>;
using NlRoute = std::unique_ptr<rtnl_route, NlDeleter<rtnl_route_put>>;
using NlCache = std::unique_ptr<nl_cache, NlDeleter<nl_cache_free>>;
using NlMsg = std::unique_ptr<nl_msg, NlDeleter<nlmsg_free>>;

// Throws Error(Kernel) for a negative libnl return code: "what: reason".
[[noreturn]] void fail_nl(int nlerr, const std::string& what);

// A nl_addr for an address with a prefix length.
NlAddr make_nl_addr(const IpAddress& ip, int prefix);
NlAddr make_nl_addr(const Cidr& cidr);
// The address of a nl_addr of family AF_INET or AF_INET6; an empty one (a
// default route's destination) or a null one is all zeroes.
IpAddress ip_from_nl(const nl_addr* a, int family);

// A connected NETLINK_ROUTE socket. A netlink socket belongs to the netns of
// the thread that created it, so one socket per namespace does all the work.
class NlSocket {
 public:
  // A socket in the calling thread's netns.
  static NlSocket open();
  // A socket in the netns referred to by netns_fd. Opened from a short-lived
  // thread that joins the netns and exits: no thread of ours stays there.
  static NlSocket open_in(int netns_fd);

  nl_sock* get() const { return sock_.get(); }

 private:
  explicit NlSocket(nl_sock* s) : sock_(s) {}
  std::unique_ptr<nl_sock, NlDeleter<nl_socket_free>> sock_;
};

}  // namespace nsnet
