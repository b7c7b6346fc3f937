// Publishing on 127.0.0.1: the host's own connection to localhost is DNATed
// to a container, and the kernel routes a 127/8 source out of an interface
// only where route_localnet is on. We turn it on for our bridges alone (never
// "all"), and the guard chain drops 127/8 arriving anywhere but lo, which
// closes what route_localnet would open (CVE-2020-8558).
#pragma once

#include <string>

namespace nsnet {

// Sets net.ipv4.conf.BRIDGE.route_localnet=1 unless it is on already.
void enable_route_localnet(const std::string& bridge);

}  // namespace nsnet
