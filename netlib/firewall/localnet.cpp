#include "netlib/firewall/localnet.hpp"

#include <fstream>

#include "netlib/error.hpp"

namespace nsnet {

void enable_route_localnet(const std::string& bridge) {
  auto path = fmt::format("/proc/sys/net/ipv4/conf/{}/route_localnet", bridge);
  std::string current;
  if (std::ifstream in(path); !(in >> current))
    fail(Code::NotFound, "cannot read {}: does bridge '{}' exist?", path, bridge);
  if (current == "1") return;
  std::ofstream out(path);
  if (!(out << "1\n" << std::flush)) fail_errno(errno, fmt::format("cannot write {}", path));
}

}  // namespace nsnet
