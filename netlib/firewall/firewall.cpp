#include "netlib/firewall/firewall.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "netlib/error.hpp"
#include "netlib/firewall/conntrack.hpp"
#include "netlib/firewall/localnet.hpp"
#include "netlib/firewall/ruleset.hpp"

namespace nsnet {
namespace {

using nlohmann::json;

void append(json& to, const json& commands) {
  for (const auto& c : commands) to.push_back(c);
}

// The element's key as nft prints it back, and its comment.
struct ListedElement {
  std::string set;
  json key;
  std::string comment;
};

// Walks the "elem" arrays of our listed sets and maps.
std::vector<ListedElement> listed_elements(const json& listing) {
  std::vector<ListedElement> out;
  for (const auto& item : listing) {
    for (const char* kind : {"set", "map"}) {
      if (!item.contains(kind) || !item[kind].contains("elem")) continue;
      const auto& set = item[kind];
      for (const auto& e : set["elem"]) {
        // maps list [key, value], sets list the key alone; a key with a
        // comment is wrapped as {"elem": {"val": key, "comment": c}}.
        const json& k = set.contains("map") ? e.at(0) : e;
        bool wrapped = k.is_object() && k.contains("elem");
        out.push_back({set["name"].get<std::string>(), wrapped ? k["elem"]["val"] : k,
                       wrapped ? k["elem"].value("comment", "") : ""});
      }
    }
  }
  return out;
}

// Localhost publishing needs route_localnet on the bridge (localnet.hpp).
void allow_localhost_publishing(const FirewallAttachment& a, const std::vector<PortMapping>& ports) {
  for (const auto& m : ports) {
    auto effective = effective_mapping(m, a);
    bool loopback = effective.host_ip && effective.host_ip->is_v4() && effective.host_ip->bytes()[0] == 127;
    if (!effective.host_ip || loopback) return enable_route_localnet(a.bridge);
  }
}

// After a UDP port changes hands, clients must not keep hitting a stale
// conntrack entry (conntrack.hpp). A failure here costs a client some
// seconds, not correctness of the table: warn, do not fail the operation.
void forget_udp_flows(const FirewallAttachment& a, const std::vector<PortMapping>& ports) {
  for (const auto& m : ports) {
    try {
      flush_udp_conntrack(effective_mapping(m, a));
    } catch (const Error& e) {
      spdlog::warn("{}: {}", owner_comment(a.key), e.what());
    }
  }
}

}  // namespace

void Firewall::add(const FirewallAttachment& a) {
  with_context(fmt::format("firewall for {}", owner_comment(a.key)), [&] {
    allow_localhost_publishing(a, a.ports);
    json cmds = completing_commands(network_elements(a));
    append(cmds, add_elements(attachment_elements(a)));
    if (!cmds.empty()) nft_.run(cmds);
  });
  forget_udp_flows(a, a.ports);
}

void Firewall::remove(const FirewallAttachment& a) {
  remove_elements(owner_comment(a.key), attachment_elements(a));
  forget_udp_flows(a, a.ports);
}

void Firewall::remove_network(const FirewallAttachment& a) {
  remove_elements(network_comment(a.key.network), network_elements(a));
}

void Firewall::publish(const FirewallAttachment& a, const std::vector<PortMapping>& mappings) {
  with_context(fmt::format("publishing ports of {}", owner_comment(a.key)), [&] {
    allow_localhost_publishing(a, mappings);
    json cmds = completing_commands(network_elements(a));
    append(cmds, add_elements(port_elements(a, mappings)));
    if (!cmds.empty()) nft_.run(cmds);
  });
  forget_udp_flows(a, mappings);
}

void Firewall::unpublish(const FirewallAttachment& a, const std::vector<PortMapping>& mappings) {
  remove_elements(owner_comment(a.key), port_elements(a, mappings));
  forget_udp_flows(a, mappings);
}

void Firewall::remove_elements(const std::string& owner, const std::vector<Element>& elements) {
  if (elements.empty()) return;
  // Adding before deleting makes the delete succeed when the element is
  // already gone; add is a no-op for an element that is there.
  json cmds = add_elements(elements);
  append(cmds, delete_elements(elements));
  try {
    nft_.run(cmds);
  } catch (const Error&) {
    // The table or a set is gone, or a key changed hands: fall back to the
    // owner's comment, which finds whatever of ours is left (maybe nothing).
    sweep([&](const std::string& set, const json& key, const std::string& comment) {
      if (comment != owner) return false;
      for (const auto& e : elements)
        if (e.set == set && e.key == key) return true;
      return false;
    });
  }
}

void Firewall::reconcile(const std::vector<FirewallAttachment>& all) {
  with_context("reconciling the nsnet nftables table", [&] {
    json cmds = ruleset::ensure_commands();
    for (const auto& a : all) allow_localhost_publishing(a, a.ports);
    for (const auto& a : all) append(cmds, add_elements(network_elements(a)));
    for (const auto& a : all) append(cmds, add_elements(attachment_elements(a)));
    nft_.run(cmds);
  });
}

json Firewall::completing_commands(const std::vector<Element>& wanted) {
  auto found = probe_table(wanted);
  if (!found) found = listed_probe(wanted);
  if (!found->rules_current) {
    json cmds = ruleset::ensure_commands();
    append(cmds, add_elements(wanted));
    return cmds;
  }
  return add_elements(found->missing);
}

ProbeResult Firewall::listed_probe(const std::vector<Element>& wanted) {
  auto listing = list_table();
  if (!listing || !ruleset::rules_current(*listing)) return {false, wanted};
  auto listed = listed_elements(*listing);
  ProbeResult found{true, {}};
  for (const auto& w : wanted) {
    bool present = std::any_of(listed.begin(), listed.end(), [&](const ListedElement& e) {
      return e.set == w.set && e.key == w.key;
    });
    if (!present) found.missing.push_back(w);
  }
  return found;
}

std::optional<nlohmann::json> Firewall::list_table() {
  return nft_.run_if_present(ruleset::list_table_command());
}

size_t Firewall::sweep(const Selector& doomed) {
  auto listing = list_table();
  if (!listing) return 0;
  std::vector<Element> victims;
  for (auto& e : listed_elements(*listing))
    if (doomed(e.set, e.key, e.comment)) victims.push_back({e.set, e.key, nullptr, e.comment});
  if (!victims.empty()) nft_.run(delete_elements(victims));
  return victims.size();
}

size_t Firewall::sweep_owner(const std::string& comment) {
  return sweep([&](const std::string&, const json&, const std::string& c) { return c == comment; });
}

Firewall::Status Firewall::status() {
  Status st;
  auto listing = list_table();
  if (!listing) return st;
  st.table_present = true;
  st.rules_current = ruleset::rules_current(*listing);
  for (const auto& item : *listing)
    if (item.contains("rule")) ++st.rules;
  for (auto& e : listed_elements(*listing)) st.elements.push_back({e.set, e.comment});
  return st;
}

}  // namespace nsnet
