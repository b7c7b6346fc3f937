// `nsnet doctor`: what on this host keeps nsnet's namespaces from working,
// each finding with its remedy. Reads only: changes nothing.
#pragma once

#include <string>
#include <vector>

namespace nsnet {

struct Finding {
  bool problem = false;  // false: a check that passed
  std::string text;
};

// Forwarding, legacy iptables rules, stale /run/netns entries, the nsnet
// table and every recorded attachment's elements, bridge MTU against the
// egress route's.
std::vector<Finding> diagnose();

}  // namespace nsnet
