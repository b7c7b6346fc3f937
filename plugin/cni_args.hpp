// CNI_ARGS: "KEY=VALUE;KEY=VALUE" from the runtime (CONVENTIONS.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsnet::cni {

struct CniArgs {
  std::vector<std::string> ips;    // IP=ADDR[,ADDR...]
  std::optional<std::string> mac;  // MAC=XX:XX:...
};

// Parses text. A key we do not know throws Error(UnsupportedField) naming key
// and value, unless IgnoreUnknown=1 (or true) is among the pairs, as with the
// reference plugins. A pair without '=' throws Error(InvalidEnv).
CniArgs parse_cni_args(std::string_view text);

}  // namespace nsnet::cni
