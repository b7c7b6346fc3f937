// What the commands share about a named netns made by `nsnet create`: its
// attachment is keyed (network, container id = NAME, ifname eth0).
#pragma once

#include <optional>
#include <string>

#include "netlib/network.hpp"
#include "netlib/record.hpp"

namespace nsnet::cli {

inline constexpr const char* kNamedIfname = "eth0";

// The attachment of the named netns NAME, on whichever network it is.
std::optional<AttachmentRecord> find_named_record(const std::string& name);

}  // namespace nsnet::cli
