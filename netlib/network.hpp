// A network, as described by the CNI network configuration (the JSON the
// plugin reads on stdin and `nsnet network create` writes into a conflist).
// Parsed once into plain structs, then const.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/ip.hpp"

namespace nsnet {

struct Route {
  Cidr dst;
  std::optional<IpAddress> gw;
};

// One host-local-compatible range: subnet, optional rangeStart/rangeEnd/gateway.
struct IpRange {
  Cidr subnet;
  std::optional<IpAddress> range_start;
  std::optional<IpAddress> range_end;
  std::optional<IpAddress> gateway;  // default: first host address of subnet
};

// ipam section. type "nsnet" is the built-in allocator; any other type is
// delegated to that plugin through CNI_PATH (the raw section is passed on).
struct IpamConfig {
  std::string type = "nsnet";
  std::vector<std::vector<IpRange>> ranges;  // range sets; one address from each
  std::vector<Route> routes;
  nlohmann::json raw;  // the section as given
};

struct Network {
  std::string name = "nsnet";
  std::string cni_version = "1.0.0";
  std::string bridge = "nsnet0";
  bool is_gateway = true;          // gateway address on the bridge
  bool is_default_gateway = true;  // default route in the container via the gateway
  bool ip_masq = true;
  // "clusterCIDR": destinations inside the cluster (Kubernetes' pod network);
  // ipMasq spares traffic to them, so pods see each other's own addresses.
  std::vector<Cidr> cluster_cidrs;
  int mtu = 0;                     // 0: MTU of the host's default-route interface
  bool hairpin_mode = true;        // needed for a container to reach its own published port
  bool promisc_mode = false;
  bool force_address = false;
  nlohmann::json dns;              // passed through to the result
  IpamConfig ipam;
  nlohmann::json raw;              // the whole config as given (plugin passes it on)

  // The built-in network "nsnet": bridge nsnet0, 10.0.0.0/24, gateway 10.0.0.1.
  static Network default_network();
};

}  // namespace nsnet
