// Port publishing specs as written on the command line (`-p`):
//   HOSTPORT:CONTAINERPORT[/PROTO]            2525:25
//   HOSTIP:HOSTPORT:CONTAINERPORT[/PROTO]     198.51.100.10:25:25, [2001:db8::1]:25:25
//   ranges of equal length                    8000-8010:8000-8010/udp
// PROTO is tcp (default), udp or sctp. A range becomes one PortMapping per
// port, so everything downstream (reservations, nft elements) is per port.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/attachment.hpp"

namespace nsnet {

// Throws Error(InvalidArgument) naming the spec and what is wrong with it.
std::vector<PortMapping> parse_port_spec(std::string_view spec);

// "198.51.100.10:2525:25/tcp", "2525:25/udp", "[2001:db8::1]:25:25/tcp".
std::string format_port_mapping(const PortMapping& m);

// Throws Error(InvalidConfig) for a protocol other than tcp/udp/sctp or a port
// outside 1-65535, so a CNI runtimeConfig gets the same checks as `-p`.
void validate_port_mapping(const PortMapping& m);

// One CNI portMappings entry {"hostPort", "containerPort", "protocol",
// "hostIP"}, as runtimes send it in runtimeConfig and as records keep it.
// hostIP "" (or 0.0.0.0, ::) means every host address. Throws
// Error(InvalidConfig) naming `where` and the bad field.
PortMapping port_mapping_from_json(const nlohmann::json& j, std::string_view where);
nlohmann::json port_mapping_to_json(const PortMapping& m);

}  // namespace nsnet
