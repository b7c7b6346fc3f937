// One CNI call, parsed and checked: env, config, version, prevResult and
// the static address / MAC requests from runtimeConfig, args and CNI_ARGS.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/attachment.hpp"
#include "netlib/network.hpp"
#include "plugin/env.hpp"

namespace nsnet::cni {

struct Request {
  Env env;
  nlohmann::json config;           // stdin as given (passed on to delegates)
  std::string cni_version;
  Network network;
  std::optional<nlohmann::json> prev_result;  // converted to cni_version
  std::vector<Cidr> requested_ips;  // ADD only
  std::optional<std::string> mac;   // ADD only
  std::vector<PortMapping> port_mappings;  // ADD only: runtimeConfig.portMappings
  std::optional<IpAddress> host_ip;        // ADD only: hostIP (config or runtimeConfig)

  AttachmentKey key() const { return {network.name, env.container_id, env.ifname}; }
};

// stdin as JSON. Throws Error(Decode) on malformed input.
nlohmann::json parse_config_text(std::string_view text);

// The cniVersion of config if it is a string, else "".
std::string config_version(const nlohmann::json& config);

// Checks version (Error IncompatibleVersion), the network config
// (InvalidConfig / UnsupportedField), prevResult and, for ADD, the address and
// MAC requests.
Request make_request(Env env, nlohmann::json config);

}  // namespace nsnet::cni
