// A Network from a CNI network configuration (JSON) and back.
//
// The plugin reads one network config on stdin; `nsnet network create` writes
// a conflist holding one. Both go through here, so one set of rules validates
// them: a wrong value throws Error(InvalidConfig) naming the field, e.g.
// "ipam.ranges[0][1].gateway"; a reference-bridge feature nsnet does not
// implement throws Error(UnsupportedField) naming key and value. Unknown
// top-level keys are ignored, as other plugins do.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "netlib/network.hpp"

namespace nsnet {

// The CNI plugin type this binary answers to.
inline constexpr std::string_view kPluginType = "nsnet";

// One plugin configuration (name and cniVersion included, as a runtime
// passes it). Keeps the whole object in Network::raw.
Network network_from_json(const nlohmann::json& config);

// The plugin configuration for network: every key network_from_json reads,
// including name and cniVersion.
nlohmann::json network_to_json(const Network& network);

// A conflist holding network as its one plugin. It declares cniVersion
// 1.0.0 (Podman 4.3 cannot read 1.1.0 results) and cniVersions
// ["1.0.0", "1.1.0"] so newer runtimes pick 1.1.0.
nlohmann::json conflist_from_network(const Network& network);

// The nsnet network in a conflist (or in a single .conf object): the first
// plugin of type nsnet, with the list's name and cniVersion. Throws
// Error(InvalidConfig) if there is none.
Network network_from_conflist(const nlohmann::json& conflist);

}  // namespace nsnet
