// The nodes of a cluster and the host-gw routes between them: every node
// reaches another node's pod subnet through that node's own address, so pod
// traffic crosses the underlay unencapsulated and keeps its source address.
// Pure data work (no kernel); netlib/routes_sync.hpp applies the result.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/ip.hpp"

namespace nsnet {

struct ClusterNode {
  std::string name;
  std::vector<IpAddress> addresses;  // node (underlay) addresses, at most one used per family
  std::vector<Cidr> pod_cidrs;       // empty while the node has none assigned yet
};

// Reads the nodes from either of two shapes:
//   ours:       {"nodes": [{"name": "n1", "address": "198.51.100.1", "podCIDR": "10.244.1.0/24"}]}
//               (or the bare array; "addresses" and "podCIDRs" lists are accepted too)
//   Kubernetes: a NodeList, as `kubectl get nodes -o json` or GET /api/v1/nodes prints it
//               (metadata.name, spec.podCIDR(s), status.addresses of type InternalIP).
// Throws Error(InvalidConfig) naming the node and field at fault.
std::vector<ClusterNode> parse_cluster_nodes(const nlohmann::json& doc);

// One route to another node's pod subnet.
struct NodeRoute {
  Cidr pod_cidr;    // network form, e.g. 10.244.2.0/24
  IpAddress via;    // that node's address
  std::string node; // for messages; empty for a route found in the kernel

  bool same_path(const NodeRoute& o) const { return pod_cidr == o.pod_cidr && via == o.via; }
};

struct NodeRoutePlan {
  std::vector<NodeRoute> routes;
  std::vector<std::string> skipped;  // why a node's subnet gets no route (for warnings)
};

// The routes this node (self) needs: one per pod subnet of every other node,
// via that node's address of the same family. Throws Error(InvalidConfig) if
// self is not among nodes or two nodes' pod subnets overlap.
NodeRoutePlan plan_node_routes(const std::vector<ClusterNode>& nodes, const std::string& self);

// The name of the node owning one of local_addresses; throws Error(NotFound)
// naming the remedy (--self) when none or more than one does.
std::string find_self_node(const std::vector<ClusterNode>& nodes,
                           const std::vector<IpAddress>& local_addresses);

}  // namespace nsnet
