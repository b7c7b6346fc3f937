// "subnet": "usePodCidr" in an ipam range: the range is this node's pod
// subnet (Kubernetes spec.podCIDRs), read from a file the installer writes
// (deploy/kubernetes writes /run/nsnet/podcidr), so one network config serves
// every node. "usePodCidrIPv6" takes the node's IPv6 pod subnet (the names
// are Calico's).
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "netlib/ip.hpp"

namespace nsnet {

inline constexpr std::string_view kUsePodCidr = "usePodCidr";
inline constexpr std::string_view kUsePodCidrIPv6 = "usePodCidrIPv6";

bool is_pod_cidr_keyword(std::string_view subnet);

// The file the installer writes: <state dir>/podcidr, so /run/nsnet/podcidr
// by default.
std::filesystem::path pod_cidr_file();

// The file's subnets: one CIDR a line; blank lines and surrounding spaces are
// ignored. Throws Error(InvalidConfig) naming the file and the bad line.
std::vector<Cidr> parse_pod_cidrs(std::string_view text, const std::string& path);

// The subnet keyword stands for, from the file at path (network form).
// Throws Error(InvalidConfig) naming the file and the remedy when the file is
// missing or holds no subnet of the family.
Cidr resolve_pod_cidr(std::string_view keyword, const std::filesystem::path& path);

}  // namespace nsnet
