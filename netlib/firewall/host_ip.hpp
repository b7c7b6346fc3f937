// `--host-ip ADDR` must be one of this host's addresses: SNAT to a foreign
// address would send packets whose replies never come back.
#pragma once

#include "netlib/ip.hpp"

namespace nsnet {

// Throws Error(InvalidConfig) naming ip and the remedy unless some interface
// of the calling thread's netns has it.
void require_host_address(const IpAddress& ip, const char* what);

}  // namespace nsnet
