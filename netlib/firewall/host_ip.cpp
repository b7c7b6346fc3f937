#include "netlib/firewall/host_ip.hpp"

#include "netlib/address.hpp"
#include "netlib/error.hpp"
#include "netlib/netlink.hpp"

namespace nsnet {

void require_host_address(const IpAddress& ip, const char* what) {
  auto host = NlSocket::open();
  for (const auto& a : list_addresses(host))
    if (a.cidr.address() == ip) return;
  fail(Code::InvalidConfig,
       "{} {} is not an address of this host; add it to an interface first "
       "(e.g. ip addr add {}/{} dev eth0) or choose one that is",
       what, ip.str(), ip.str(), ip.bits());
}

}  // namespace nsnet
