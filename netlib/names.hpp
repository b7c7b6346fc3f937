// Validation of the names that reach the kernel or the file system, so that
// none can escape into a path or be refused half-way through an operation.
#pragma once

#include <string>
#include <string_view>

#include "netlib/attachment.hpp"

namespace nsnet {

// iproute2's rules for a named netns: non-empty, at most NAME_MAX bytes, no
// '/', not "." or "..". Throws Error(InvalidArgument) naming the rule broken.
void validate_netns_name(std::string_view name);

// CNI's rules for a container id: letters, digits, '_', '-', '.', starting
// with a letter or digit.
void validate_container_id(std::string_view id);

// A Linux interface name: 1-15 bytes, no '/', ':' or whitespace, not "." or "..".
void validate_ifname(std::string_view name);

// Validates every part of key: the network name follows CNI's container id
// rules, the container id iproute2's netns name rules, ifname the kernel's.
void validate_key(const AttachmentKey& key);

// The host side veth of an attachment: "nsv" + 12 hex digits of a stable hash
// of the key (15 bytes, IFNAMSIZ-1), so detach finds it without any state.
std::string host_veth_name(const AttachmentKey& key);

}  // namespace nsnet
