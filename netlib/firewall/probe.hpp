// A read-only look at our table over raw nfnetlink (libmnl + libnftnl), for
// the common attach that finds everything in place and so commits nothing.
// It answers what a libnftables listing answered (Firewall's
// completing_commands) at a fraction of the cost: no libnftables context, no
// cache of every set, no JSON. It dumps only our table's chains and rules and
// the elements of the sets the wanted elements live in.
#pragma once

#include <optional>
#include <vector>

#include "netlib/firewall/elements.hpp"

namespace nsnet {

struct ProbeResult {
  bool rules_current = false;    // ruleset::rules_current() of the table
  std::vector<Element> missing;  // wanted elements whose key is absent (all, when !rules_current)
};

// nullopt when the probe cannot judge with certainty (a set of another shape
// than ours, a key it cannot encode, a message it cannot parse, an error
// other than ENOENT, a commit by someone else while it read): the caller then
// asks libnftables. A wrong "present" would be a silent NAT outage.
std::optional<ProbeResult> probe_table(const std::vector<Element>& wanted);

}  // namespace nsnet
