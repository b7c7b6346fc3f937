#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "netlib/firewall/elements.hpp"
#include "netlib/firewall/ruleset.hpp"
#include "netlib/network_config.hpp"

using namespace nsnet;
using nlohmann::json;

namespace {

json with_cluster(json value) {
  json config = json::parse(R"({
    "cniVersion": "1.0.0", "name": "k8s", "type": "nsnet",
    "ipam": {"type": "nsnet", "ranges": [[{"subnet": "10.244.1.0/24"}]]}
  })");
  config["clusterCIDR"] = std::move(value);
  return config;
}

std::vector<std::string> cluster_of(const json& config) {
  std::vector<std::string> out;
  for (const auto& c : network_from_json(config).cluster_cidrs) out.push_back(c.str());
  return out;
}

}  // namespace

TEST_CASE("clusterCIDR: a CIDR, kubeadm's comma-separated list, or a JSON list") {
  using V = std::vector<std::string>;
  CHECK(cluster_of(with_cluster("10.244.0.0/16")) == V{"10.244.0.0/16"});
  CHECK(cluster_of(with_cluster("10.244.0.0/16,fd00:10:244::/56")) ==
        V{"10.244.0.0/16", "fd00:10:244::/56"});
  CHECK(cluster_of(with_cluster({"10.244.7.1/16"})) == V{"10.244.0.0/16"});
  auto config = with_cluster(nullptr);
  CHECK(network_from_json(config).cluster_cidrs.empty());
}

TEST_CASE("clusterCIDR survives a round trip through network_to_json") {
  Network n = network_from_json(with_cluster("10.244.0.0/16,fd00:10:244::/56"));
  json out = network_to_json(n);
  CHECK(out["clusterCIDR"] == json({"10.244.0.0/16", "fd00:10:244::/56"}));
  CHECK(network_from_json(out).cluster_cidrs == n.cluster_cidrs);
  CHECK_FALSE(network_to_json(network_from_json(with_cluster(nullptr))).contains("clusterCIDR"));
}

TEST_CASE("a bad clusterCIDR is refused naming the field") {
  CHECK_THROWS_WITH(network_from_json(with_cluster("10.244.0.0/16,nope")),
                    Catch::Contains("clusterCIDR[1]") && Catch::Contains("nope"));
  CHECK_THROWS_WITH(network_from_json(with_cluster(16)), Catch::Contains("clusterCIDR"));
  CHECK_THROWS_WITH(network_from_json(with_cluster({"10.0.0.0/8", 1})), Catch::Contains("clusterCIDR"));
}

TEST_CASE("a masqueraded network's clusterCIDR becomes subnet . cluster elements of its family") {
  FirewallAttachment a;
  a.key = {"k8s", "c1", "eth0"};
  a.bridge = "nsnet0";
  a.addresses = {Cidr::parse("10.244.1.5/24")};
  a.cluster_cidrs = {Cidr::parse("10.244.0.0/16"), Cidr::parse("fd00:10:244::/56")};
  std::vector<Element> cluster;
  for (const auto& e : network_elements(a))
    if (e.set.starts_with(ruleset::kClusterDestinations)) cluster.push_back(e);
  REQUIRE(cluster.size() == 1);  // the IPv6 cluster CIDR has no IPv6 subnet here
  CHECK(cluster[0].set == "cluster_v4");
  CHECK(cluster[0].key["concat"][0]["prefix"]["addr"] == "10.244.1.0");
  CHECK(cluster[0].key["concat"][1]["prefix"]["len"] == 16);
  CHECK(cluster[0].comment == "net:k8s");
  // Through a record and back.
  CHECK(firewall_attachment_from_json(to_json(a)).cluster_cidrs == a.cluster_cidrs);
  // A network that is not masqueraded needs no exception.
  a.masquerade = false;
  for (const auto& e : network_elements(a)) CHECK_FALSE(e.set.starts_with(ruleset::kClusterDestinations));
}
