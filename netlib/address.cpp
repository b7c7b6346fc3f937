#include "netlib/address.hpp"

#include <linux/if_addr.h>
#include <netlink/errno.h>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

NlRtAddr make_rtnl_addr(int ifindex, const Cidr& cidr) {
  NlRtAddr addr(rtnl_addr_alloc());
  if (!addr) throw Error(Code::Internal, "out of memory allocating an address");
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  rtnl_addr_set_family(addr.get(), cidr.address().af());
  rtnl_addr_set_local(addr.get(), make_nl_addr(cidr).get());
  rtnl_addr_set_prefixlen(addr.get(), cidr.prefix());
  return addr;
}

}  // namespace

bool add_address(NlSocket& sock, int ifindex, const Cidr& cidr, bool no_dad) {
  auto addr = make_rtnl_addr(ifindex, cidr);
  if (no_dad && !cidr.is_v4()) rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
  int err = rtnl_addr_add(sock.get(), addr.get(), NLM_F_EXCL);
  if (err == -NLE_EXIST) return false;
  if (err < 0) fail_nl(err, fmt::format("cannot add address {}", cidr.str()));
  return true;
}

bool delete_address(NlSocket& sock, int ifindex, const Cidr& cidr) {
  auto addr = make_rtnl_addr(ifindex, cidr);
  int err = rtnl_addr_delete(sock.get(), addr.get(), 0);
  if (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return false;
  if (err < 0) fail_nl(err, fmt::format("cannot delete address {}", cidr.str()));
  return true;
}

std::vector<AddressInfo> list_addresses(NlSocket& sock, int ifindex) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock.get(), &raw); err < 0)
    fail_nl(err, "cannot list addresses");
  NlCache cache(raw);
  std::vector<AddressInfo> out;
  for (nl_object* o = nl_cache_get_first(raw); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (ifindex != 0 && rtnl_addr_get_ifindex(a) != ifindex) continue;
    nl_addr* local = rtnl_addr_get_local(a);
    int family = rtnl_addr_get_family(a);
    if (!local || (family != AF_INET && family != AF_INET6)) continue;
    out.push_back({rtnl_addr_get_ifindex(a), Cidr(ip_from_nl(local, family), rtnl_addr_get_prefixlen(a))});
  }
  return out;
}

}  // namespace nsnet
