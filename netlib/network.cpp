#include "netlib/network.hpp"

namespace nsnet {

Network Network::default_network() {
  Network n;
  n.ipam.ranges = {{IpRange{Cidr::parse("10.0.0.0/24"), std::nullopt, std::nullopt,
                            IpAddress::parse("10.0.0.1")}}};
  return n;
}

}  // namespace nsnet
