#include "cli/ports.hpp"

#include "netlib/error.hpp"
#include "netlib/firewall/listeners.hpp"
#include "netlib/firewall/port_spec.hpp"

namespace nsnet::cli {

std::vector<PortMapping> parse_port_specs(const std::vector<std::string>& specs) {
  std::vector<PortMapping> out;
  for (const auto& spec : specs) {
    auto mappings = parse_port_spec(spec);
    out.insert(out.end(), mappings.begin(), mappings.end());
  }
  return out;
}

void refuse_host_listeners(const std::vector<PortMapping>& mappings,
                           const std::optional<IpAddress>& host_ip) {
  auto effective = mappings;
  for (auto& m : effective)
    if (!m.host_ip) m.host_ip = host_ip;
  auto holders = find_host_listeners(effective);
  for (size_t i = 0; i < effective.size(); ++i)
    if (holders[i])
      fail(Code::Conflict,
           "host port {} is in use by {}; stop it or publish another host port",
           format_port_mapping(effective[i]), *holders[i]);
}

}  // namespace nsnet::cli
