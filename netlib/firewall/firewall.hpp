// NAT and port publishing for attachments, in nsnet's own nftables table
// (ruleset.hpp). Each call is one atomic nft transaction; what an attachment
// owns is a handful of set/map elements commented with its key. Calls that
// change a UDP port's owner also flush its conntrack entries.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "netlib/firewall/elements.hpp"
#include "netlib/firewall/nft.hpp"
#include "netlib/firewall/probe.hpp"

namespace nsnet {

class Firewall {
 public:
  // Ensures the table and its rules, then adds the network's elements and the
  // attachment's (host-IP SNAT, published ports). One transaction, and none
  // at all when the table is whole and holds them already (the common case:
  // every container after its network's first, without published ports).
  void add(const FirewallAttachment& a);

  // Removes the attachment's elements. Idempotent: succeeds when the table,
  // the set or the elements are already gone (after `nft flush ruleset`).
  void remove(const FirewallAttachment& a);

  // Removes the network's own elements (bridge, subnets), for when its last
  // attachment goes. Idempotent.
  void remove_network(const FirewallAttachment& a);

  // Adds / removes DNAT elements for these mappings of attachment a.
  void publish(const FirewallAttachment& a, const std::vector<PortMapping>& mappings);
  void unpublish(const FirewallAttachment& a, const std::vector<PortMapping>& mappings);

  // Re-creates the table, its rules and every element of `all` in one
  // transaction; elements already there are kept. Idempotent.
  void reconcile(const std::vector<FirewallAttachment>& all);

  // Deletes every element of our table that `doomed` selects, in one
  // transaction; returns how many. The GC path: needs no record, no address.
  using Selector = std::function<bool(const std::string& set, const nlohmann::json& key,
                                      const std::string& comment)>;
  size_t sweep(const Selector& doomed);
  // Deletes every element whose comment is `comment` (an attachment key from
  // owner_comment(), or network_comment() when a network goes away).
  size_t sweep_owner(const std::string& comment);

  struct ElementInfo {
    std::string set;
    std::string comment;
  };
  struct Status {
    bool table_present = false;
    size_t rules = 0;
    bool rules_current = false;  // ruleset::rules_current()
    std::vector<ElementInfo> elements;
  };
  // Reads our table only (never another one).
  Status status();

 private:
  void remove_elements(const std::string& owner, const std::vector<Element>& elements);
  // What makes the table whole and adds the `wanted` elements it lacks: the
  // full ensure_commands() unless the table's rules are current, then only
  // the missing elements (maybe none). Asks probe_table() (raw nfnetlink)
  // and, when it cannot judge, listed_probe() (a libnftables listing).
  nlohmann::json completing_commands(const std::vector<Element>& wanted);
  ProbeResult listed_probe(const std::vector<Element>& wanted);
  std::optional<nlohmann::json> list_table();  // nullopt when the table is absent

  Nft nft_;
};

}  // namespace nsnet
