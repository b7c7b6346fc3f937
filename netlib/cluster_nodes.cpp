#include "netlib/cluster_nodes.hpp"

#include <algorithm>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

using nlohmann::json;

// A string or a list of strings under key (either may be absent).
std::vector<std::string> strings_at(const json& obj, const char* one, const char* many,
                                    const std::string& where) {
  std::vector<std::string> out;
  auto take = [&](const json& v, const char* key) {
    if (!v.is_string()) fail(Code::InvalidConfig, "{}: \"{}\" must hold strings", where, key);
    out.push_back(v.get<std::string>());
  };
  if (auto it = obj.find(one); it != obj.end() && !it->is_null()) take(*it, one);
  if (auto it = obj.find(many); it != obj.end() && !it->is_null()) {
    if (!it->is_array()) fail(Code::InvalidConfig, "{}: \"{}\" must be a list", where, many);
    for (const auto& v : *it) take(v, many);
  }
  return out;
}

std::vector<Cidr> parse_pod_cidrs(const std::vector<std::string>& texts, const std::string& where) {
  std::vector<Cidr> out;
  for (const auto& t : texts) {
    Cidr c = with_context(where, [&] { return Cidr::parse(t).network(); });
    // spec.podCIDR repeats the first of spec.podCIDRs.
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

ClusterNode parse_our_node(const json& n, size_t index) {
  std::string where = fmt::format("nodes[{}]", index);
  if (!n.is_object()) fail(Code::InvalidConfig, "{}: must be an object", where);
  auto name = n.find("name");
  if (name == n.end() || !name->is_string() || name->get<std::string>().empty())
    fail(Code::InvalidConfig, "{}: \"name\" (a non-empty string) is required", where);
  ClusterNode node{name->get<std::string>(), {}, {}};
  where = fmt::format("node '{}'", node.name);
  for (const auto& a : strings_at(n, "address", "addresses", where))
    node.addresses.push_back(with_context(where, [&] { return IpAddress::parse(a); }));
  if (node.addresses.empty())
    fail(Code::InvalidConfig, "{}: \"address\" (the node's underlay address) is required", where);
  node.pod_cidrs = parse_pod_cidrs(strings_at(n, "podCIDR", "podCIDRs", where), where);
  return node;
}

ClusterNode parse_kubernetes_node(const json& n, size_t index) {
  std::string name = n.value("/metadata/name"_json_pointer, std::string());
  if (name.empty()) fail(Code::InvalidConfig, "NodeList items[{}]: metadata.name is missing", index);
  std::string where = fmt::format("Node '{}'", name);
  ClusterNode node{name, {}, {}};
  const json spec = n.value("spec", json::object());
  node.pod_cidrs = parse_pod_cidrs(strings_at(spec, "podCIDR", "podCIDRs", where), where);
  for (const auto& a : n.value("/status/addresses"_json_pointer, json::array())) {
    // InternalIP is the address the nodes reach each other on (kubelet's --node-ip).
    if (a.value("type", "") != "InternalIP") continue;
    node.addresses.push_back(
        with_context(where, [&] { return IpAddress::parse(a.value("address", "")); }));
  }
  return node;
}

}  // namespace

std::vector<ClusterNode> parse_cluster_nodes(const json& doc) {
  std::vector<ClusterNode> nodes;
  if (doc.is_object() && doc.value("kind", "") == "NodeList") {
    const json items = doc.value("items", json::array());
    for (size_t i = 0; i < items.size(); ++i) nodes.push_back(parse_kubernetes_node(items[i], i));
    return nodes;
  }
  const json* list = &doc;
  if (doc.is_object() && doc.contains("nodes")) list = &doc["nodes"];
  if (!list->is_array())
    fail(Code::InvalidConfig,
         "the nodes file must be {{\"nodes\": [...]}}, a list of nodes, or a Kubernetes NodeList");
  for (size_t i = 0; i < list->size(); ++i) nodes.push_back(parse_our_node((*list)[i], i));
  for (size_t i = 0; i < nodes.size(); ++i)
    for (size_t j = i + 1; j < nodes.size(); ++j)
      if (nodes[i].name == nodes[j].name)
        fail(Code::InvalidConfig, "node '{}' is listed twice in the nodes file", nodes[i].name);
  return nodes;
}

NodeRoutePlan plan_node_routes(const std::vector<ClusterNode>& nodes, const std::string& self) {
  auto me = std::find_if(nodes.begin(), nodes.end(), [&](auto& n) { return n.name == self; });
  if (me == nodes.end())
    fail(Code::InvalidConfig, "this node '{}' is not in the nodes file; pass the right --self NAME",
         self);

  NodeRoutePlan plan;
  std::vector<std::pair<Cidr, std::string>> claimed;  // every pod subnet and its owner
  for (const auto& node : nodes) {
    for (const auto& cidr : node.pod_cidrs) {
      for (const auto& [other, owner] : claimed)
        if (cidr.overlaps(other))
          fail(Code::InvalidConfig, "pod subnets overlap: {} of node '{}' and {} of node '{}'",
               cidr.str(), node.name, other.str(), owner);
      claimed.emplace_back(cidr, node.name);
      if (node.name == self) continue;
      auto via = std::find_if(node.addresses.begin(), node.addresses.end(),
                              [&](auto& a) { return a.family() == cidr.address().family(); });
      if (via == node.addresses.end()) {
        plan.skipped.push_back(fmt::format("node '{}' has no IPv{} address for its pod subnet {}",
                                           node.name, cidr.is_v4() ? 4 : 6, cidr.str()));
        continue;
      }
      plan.routes.push_back({cidr, *via, node.name});
    }
  }
  return plan;
}

std::string find_self_node(const std::vector<ClusterNode>& nodes,
                           const std::vector<IpAddress>& local_addresses) {
  std::vector<std::string> mine;
  for (const auto& node : nodes)
    for (const auto& a : node.addresses)
      if (std::find(local_addresses.begin(), local_addresses.end(), a) != local_addresses.end()) {
        mine.push_back(node.name);
        break;
      }
  if (mine.size() == 1) return mine.front();
  if (mine.empty())
    fail(Code::NotFound,
         "no node in the nodes file has an address of this host; pass --self NAME");
  fail(Code::InvalidConfig, "nodes '{}' and '{}' both have an address of this host; pass --self NAME",
       mine[0], mine[1]);
}

}  // namespace nsnet
