#include "netlib/firewall/localnet.hpp"

#include "netlib/error.hpp"
#include "netlib/sysctl.hpp"

namespace nsnet {

void enable_route_localnet(const std::string& bridge) {
  auto key = fmt::format("net/ipv4/conf/{}/route_localnet", bridge);
  with_context(fmt::format("bridge {}", bridge), [&] {
    if (sysctl_get(key) != "1") sysctl_set(key, "1");
  });
}

}  // namespace nsnet
