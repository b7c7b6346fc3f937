// sysctl get/set through /proc/sys, in the network namespace of the calling
// thread's /proc mount (nsnet calls these from the host netns only).
#pragma once

#include <string>
#include <string_view>

#include "netlib/ip.hpp"

namespace nsnet {

// key as in sysctl(8), dots or slashes: "net.ipv4.ip_forward", or
// "net/ipv4/conf/br.10/forwarding" for a name with dots.
std::string sysctl_get(std::string_view key);
void sysctl_set(std::string_view key, std::string_view value);

// Turns on forwarding for the family (net.ipv4.ip_forward or
// net.ipv6.conf.all.forwarding); writes only if it is off.
void enable_forwarding(IpAddress::Family family);

}  // namespace nsnet
