// Per-network and per-attachment state as elements of the sets and maps of
// ruleset.hpp. Pure functions: what to add for an attachment, and how to say
// it to nft. Every element carries a comment naming its owner ("net:NAME" for
// a network's, the attachment key "network/container/ifname" for the rest), so
// delete and GC can find elements by owner without knowing any address.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/attachment.hpp"

namespace nsnet {

// What the firewall needs to know about one attachment. Kept in the
// attachment's record, so detach and reconcile need nothing else.
struct FirewallAttachment {
  AttachmentKey key;
  std::string bridge;
  bool masquerade = true;                  // the network's ipMasq
  std::vector<Cidr> cluster_cidrs;         // destinations masquerade spares (clusterCIDR)
  std::vector<Cidr> addresses;             // the container's, with prefix length
  std::vector<PortMapping> ports;          // as requested (host_ip may be empty)
  std::optional<IpAddress> host_ip;        // egress SNAT and default publish address
};

nlohmann::json to_json(const FirewallAttachment& a);
FirewallAttachment firewall_attachment_from_json(const nlohmann::json& j);

// One element: set (or map) name, key, value (null for a set), comment.
struct Element {
  std::string set;
  nlohmann::json key;
  nlohmann::json value;
  std::string comment;
};

std::string owner_comment(const AttachmentKey& key);
std::string network_comment(const std::string& network);

// The mapping as it is published: a mapping without host IP takes the
// attachment's host_ip (publishing binds to the host IP by default).
PortMapping effective_mapping(const PortMapping& m, const FirewallAttachment& a);

// The network's bridge and subnets (masqueraded or not).
std::vector<Element> network_elements(const FirewallAttachment& a);
// Host-IP SNAT and every port mapping of the attachment.
std::vector<Element> attachment_elements(const FirewallAttachment& a);
// DNAT elements for the given mappings only (publish / unpublish).
std::vector<Element> port_elements(const FirewallAttachment& a,
                                   const std::vector<PortMapping>& mappings);

// nft JSON commands: add (with comments) / delete (by key) the elements,
// grouped one command per set.
nlohmann::json add_elements(const std::vector<Element>& elements);
nlohmann::json delete_elements(const std::vector<Element>& elements);

}  // namespace nsnet
