#include "netlib/firewall/elements.hpp"

#include <map>

#include "netlib/error.hpp"
#include "netlib/firewall/port_spec.hpp"
#include "netlib/firewall/ruleset.hpp"

namespace nsnet {
namespace {

using nlohmann::json;

json interval(const Cidr& subnet) {
  auto net = subnet.network();
  return {{"prefix", {{"addr", net.address().str()}, {"len", net.prefix()}}}};
}

// The first container address of the family, if any: one address per family
// is published and SNATed (a second one would collide on the same map key).
std::optional<IpAddress> container_address(const FirewallAttachment& a, bool v4) {
  for (const auto& c : a.addresses)
    if (c.is_v4() == v4) return c.address();
  return std::nullopt;
}

// Elements grouped per set, in first-seen order, as nft "elem" arrays.
std::vector<std::pair<std::string, json>> group(const std::vector<Element>& elements, bool with_values) {
  std::vector<std::pair<std::string, json>> groups;
  std::map<std::string, size_t> index;
  for (const auto& e : elements) {
    auto [it, fresh] = index.try_emplace(e.set, groups.size());
    if (fresh) groups.emplace_back(e.set, json::array());
    json key = with_values ? json{{"elem", {{"val", e.key}, {"comment", e.comment}}}} : e.key;
    bool is_map = !e.value.is_null();
    groups[it->second].second.push_back(with_values && is_map ? json::array({key, e.value}) : key);
  }
  return groups;
}

json element_commands(const char* verb, const std::vector<Element>& elements, bool with_values) {
  json cmds = json::array();
  for (auto& [set, elems] : group(elements, with_values))
    cmds.push_back({{verb, {{"element", ruleset::object({{"name", set}, {"elem", elems}})}}}});
  return cmds;
}

}  // namespace

json to_json(const FirewallAttachment& a) {
  json j = {{"network", a.key.network}, {"containerId", a.key.container_id},
            {"ifname", a.key.ifname}, {"bridge", a.bridge}, {"ipMasq", a.masquerade},
            {"clusterCIDR", json::array()},
            {"addresses", json::array()}, {"portMappings", json::array()}};
  for (const auto& c : a.addresses) j["addresses"].push_back(c.str());
  for (const auto& c : a.cluster_cidrs) j["clusterCIDR"].push_back(c.str());
  for (const auto& m : a.ports) j["portMappings"].push_back(port_mapping_to_json(m));
  if (a.host_ip) j["hostIP"] = a.host_ip->str();
  return j;
}

FirewallAttachment firewall_attachment_from_json(const json& j) {
  try {
    FirewallAttachment a;
    a.key = {j.at("network").get<std::string>(), j.at("containerId").get<std::string>(),
             j.at("ifname").get<std::string>()};
    a.bridge = j.at("bridge").get<std::string>();
    a.masquerade = j.value("ipMasq", true);
    for (const auto& c : j.value("clusterCIDR", json::array()))
      a.cluster_cidrs.push_back(Cidr::parse(c.get<std::string>()));
    for (const auto& c : j.at("addresses")) a.addresses.push_back(Cidr::parse(c.get<std::string>()));
    for (const auto& m : j.value("portMappings", json::array()))
      a.ports.push_back(port_mapping_from_json(m, "portMappings"));
    if (j.contains("hostIP")) a.host_ip = IpAddress::parse(j["hostIP"].get<std::string>());
    return a;
  } catch (const json::exception& e) {
    fail(Code::Decode, "firewall record is malformed: {}", e.what());
  }
}

std::string owner_comment(const AttachmentKey& key) { return key.str(); }

std::string network_comment(const std::string& network) { return "net:" + network; }

PortMapping effective_mapping(const PortMapping& m, const FirewallAttachment& a) {
  PortMapping out = m;
  if (!out.host_ip) out.host_ip = a.host_ip;
  return out;
}

std::vector<Element> network_elements(const FirewallAttachment& a) {
  auto comment = network_comment(a.key.network);
  std::vector<Element> out{{ruleset::kBridges, a.bridge, nullptr, comment}};
  for (const auto& c : a.addresses) {
    out.push_back({ruleset::family_set(ruleset::kSubnets, c.is_v4()), interval(c), nullptr, comment});
    if (!a.masquerade) continue;
    out.push_back({ruleset::family_set(ruleset::kMasquerade, c.is_v4()), interval(c), nullptr, comment});
    for (const auto& cluster : a.cluster_cidrs)
      if (cluster.is_v4() == c.is_v4())
        out.push_back({ruleset::family_set(ruleset::kClusterDestinations, c.is_v4()),
                       {{"concat", {interval(c), interval(cluster)}}}, nullptr, comment});
  }
  return out;
}

std::vector<Element> port_elements(const FirewallAttachment& a,
                                   const std::vector<PortMapping>& mappings) {
  auto comment = owner_comment(a.key);
  std::vector<Element> out;
  for (const auto& requested : mappings) {
    validate_port_mapping(requested);
    auto m = effective_mapping(requested, a);
    bool published = false;
    for (bool v4 : {true, false}) {
      auto addr = container_address(a, v4);
      if (!addr || (m.host_ip && m.host_ip->is_v4() != v4)) continue;
      json key = m.host_ip ? json{{"concat", {m.protocol, m.host_ip->str(), m.host_port}}}
                           : json{{"concat", {m.protocol, m.host_port}}};
      auto addr_map = m.host_ip ? ruleset::kDnatAddr : ruleset::kDnatAnyAddr;
      auto port_map = m.host_ip ? ruleset::kDnatPort : ruleset::kDnatAnyPort;
      out.push_back({ruleset::family_set(addr_map, v4), key, addr->str(), comment});
      out.push_back({ruleset::family_set(port_map, v4), key, m.container_port, comment});
      published = true;
    }
    if (!published)
      fail(Code::InvalidConfig, "cannot publish {} for {}: the container has no IPv{} address",
           format_port_mapping(m), owner_comment(a.key), m.host_ip && !m.host_ip->is_v4() ? 6 : 4);
  }
  return out;
}

std::vector<Element> attachment_elements(const FirewallAttachment& a) {
  std::vector<Element> out;
  if (a.host_ip) {
    bool v4 = a.host_ip->is_v4();
    if (auto addr = container_address(a, v4))
      out.push_back({ruleset::family_set(ruleset::kSnat, v4), addr->str(), a.host_ip->str(),
                     owner_comment(a.key)});
  }
  auto ports = port_elements(a, a.ports);
  out.insert(out.end(), ports.begin(), ports.end());
  return out;
}

json add_elements(const std::vector<Element>& elements) {
  return element_commands("add", elements, true);
}

json delete_elements(const std::vector<Element>& elements) {
  return element_commands("delete", elements, false);
}

}  // namespace nsnet
