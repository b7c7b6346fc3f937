// What `nsnet create -p` and `nsnet publish` share: port specs from the
// command line, and the refusal of host ports a host process listens on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "netlib/attachment.hpp"

namespace nsnet::cli {

// Every mapping of the specs, ranges expanded (port_spec.hpp).
std::vector<PortMapping> parse_port_specs(const std::vector<std::string>& specs);

// Throws Error(Conflict) naming the process if a host process listens on one
// of the host ports (each at its host IP, else at host_ip, else anywhere).
void refuse_host_listeners(const std::vector<PortMapping>& mappings,
                           const std::optional<IpAddress>& host_ip);

}  // namespace nsnet::cli
