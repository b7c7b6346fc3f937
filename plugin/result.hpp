// CNI results: ours to JSON in any supported version, and results from
// others (prevResult, a delegated IPAM plugin) back in.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "netlib/attachment.hpp"

namespace nsnet::cni {

// result in the format of spec version `version` (ips[].version below 1.0.0).
nlohmann::json result_to_json(const AttachResult& result, std::string_view version);

// A result of any supported version rewritten for `version`: cniVersion set,
// ips[].version added below 1.0.0 and dropped from 1.0.0 on. Keys we do not
// know (1.1.0's mtu, socketPath...) pass through.
nlohmann::json convert_result(nlohmann::json result, std::string_view version);

// The result of a plugin later in a chain: prev's interfaces, ips, routes and
// dns, then ours, with our ips[].interface shifted past prev's interfaces.
// Our dns is used only if prev has none. Both in the same version.
nlohmann::json merge_results(const nlohmann::json& prev, const nlohmann::json& ours);

// Parses a result (prevResult, or the output of an IPAM plugin, which has no
// interfaces). Throws Error(InvalidConfig) naming the malformed field, with
// `what` (e.g. "prevResult") in front.
AttachResult result_from_json(const nlohmann::json& result, std::string_view what);

}  // namespace nsnet::cni
