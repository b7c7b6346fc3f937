// Legacy (x_tables) iptables rules live outside nftables: our table cannot
// see or order itself against them, and a DROP there silently eats traffic
// we NAT. We only detect them, to warn.
#pragma once

#include <string>
#include <vector>

namespace nsnet {

// One line per legacy iptables/ip6tables table that holds rules beyond its
// built-in chains, e.g. "iptables-legacy filter: 5 rules", in the calling
// thread's netns. Reads only tables the kernel already has loaded (never
// loads a module). Empty when there are none or they cannot be read.
std::vector<std::string> legacy_iptables_in_use();

}  // namespace nsnet
