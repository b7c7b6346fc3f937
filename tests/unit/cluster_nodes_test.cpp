#include <catch2/catch.hpp>

#include "netlib/cluster_nodes.hpp"
#include "netlib/error.hpp"

using namespace nsnet;
using nlohmann::json;

namespace {

json three_nodes() {
  return json::parse(R"({"nodes": [
    {"name": "node1", "address": "198.51.100.1", "podCIDR": "10.244.1.0/24"},
    {"name": "node2", "address": "198.51.100.2", "podCIDR": "10.244.2.0/24"},
    {"name": "node3", "address": "198.51.100.3", "podCIDR": "10.244.3.7/24"}]})");
}

}  // namespace

TEST_CASE("our nodes format parses, normalising pod subnets to their network") {
  auto nodes = parse_cluster_nodes(three_nodes());
  REQUIRE(nodes.size() == 3);
  CHECK(nodes[2].name == "node3");
  CHECK(nodes[2].addresses.at(0).str() == "198.51.100.3");
  CHECK(nodes[2].pod_cidrs.at(0).str() == "10.244.3.0/24");
  // The bare list is accepted too.
  CHECK(parse_cluster_nodes(three_nodes()["nodes"]).size() == 3);
}

TEST_CASE("a Kubernetes NodeList parses: InternalIP and podCIDRs, dual stack") {
  auto doc = json::parse(R"({"kind": "NodeList", "apiVersion": "v1", "items": [
    {"metadata": {"name": "cp"},
     "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24", "fd00:10:244::/64"]},
     "status": {"addresses": [{"type": "Hostname", "address": "cp"},
                              {"type": "ExternalIP", "address": "203.0.113.9"},
                              {"type": "InternalIP", "address": "198.51.100.10"},
                              {"type": "InternalIP", "address": "2001:db8::10"}]}},
    {"metadata": {"name": "joining"}, "spec": {},
     "status": {"addresses": [{"type": "InternalIP", "address": "198.51.100.11"}]}}]})");
  auto nodes = parse_cluster_nodes(doc);
  REQUIRE(nodes.size() == 2);
  CHECK(nodes[0].pod_cidrs.size() == 2);  // podCIDR repeats podCIDRs[0]
  REQUIRE(nodes[0].addresses.size() == 2);
  CHECK(nodes[0].addresses[0].str() == "198.51.100.10");
  CHECK(nodes[1].pod_cidrs.empty());

  auto plan = plan_node_routes(nodes, "joining");
  REQUIRE(plan.routes.size() == 2);
  CHECK(plan.routes[1].pod_cidr.str() == "fd00:10:244::/64");
  CHECK(plan.routes[1].via.str() == "2001:db8::10");
  // The joining node has no subnet yet: nobody routes to it, nothing fails.
  CHECK(plan_node_routes(nodes, "cp").routes.empty());
}

TEST_CASE("the plan routes every other node's subnet via its address") {
  auto plan = plan_node_routes(parse_cluster_nodes(three_nodes()), "node2");
  REQUIRE(plan.routes.size() == 2);
  CHECK(plan.routes[0].pod_cidr.str() == "10.244.1.0/24");
  CHECK(plan.routes[0].via.str() == "198.51.100.1");
  CHECK(plan.routes[0].node == "node1");
  CHECK(plan.routes[1].via.str() == "198.51.100.3");
  CHECK(plan.skipped.empty());
}

TEST_CASE("a pod subnet without an address of its family is skipped with a reason") {
  auto nodes = parse_cluster_nodes(json::parse(R"([
    {"name": "a", "address": "198.51.100.1", "podCIDR": "10.244.1.0/24"},
    {"name": "b", "address": "198.51.100.2", "podCIDRs": ["10.244.2.0/24", "fd00:2::/64"]}])"));
  auto plan = plan_node_routes(nodes, "a");
  CHECK(plan.routes.size() == 1);
  REQUIRE(plan.skipped.size() == 1);
  CHECK_THAT(plan.skipped[0], Catch::Contains("'b'") && Catch::Contains("fd00:2::/64"));
}

TEST_CASE("bad nodes files are refused naming the node and field") {
  CHECK_THROWS_WITH(parse_cluster_nodes(json::parse(R"([{"address": "198.51.100.1"}])")),
                    Catch::Contains("nodes[0]") && Catch::Contains("name"));
  CHECK_THROWS_WITH(parse_cluster_nodes(json::parse(R"([{"name": "a"}])")),
                    Catch::Contains("'a'") && Catch::Contains("address"));
  CHECK_THROWS_WITH(
      parse_cluster_nodes(json::parse(R"([{"name": "a", "address": "198.51.100.1", "podCIDR": "x"}])")),
      Catch::Contains("'a'") && Catch::Contains("'x'"));
  CHECK_THROWS_WITH(parse_cluster_nodes(json::parse(R"([{"name": "a", "address": "198.51.100.1"},
                                                        {"name": "a", "address": "198.51.100.2"}])")),
                    Catch::Contains("twice"));
  CHECK_THROWS_WITH(parse_cluster_nodes(json::parse(R"({"hosts": []})")), Catch::Contains("NodeList"));
}

TEST_CASE("overlapping pod subnets and an unknown self are refused") {
  auto nodes = parse_cluster_nodes(json::parse(R"([
    {"name": "a", "address": "198.51.100.1", "podCIDR": "10.244.0.0/16"},
    {"name": "b", "address": "198.51.100.2", "podCIDR": "10.244.2.0/24"}])"));
  CHECK_THROWS_WITH(plan_node_routes(nodes, "a"), Catch::Contains("overlap") && Catch::Contains("'b'"));
  CHECK_THROWS_WITH(plan_node_routes(parse_cluster_nodes(three_nodes()), "node9"),
                    Catch::Contains("'node9'") && Catch::Contains("--self"));
}

TEST_CASE("self is the one node owning a local address") {
  auto nodes = parse_cluster_nodes(three_nodes());
  auto ip = [](const char* s) { return IpAddress::parse(s); };
  CHECK(find_self_node(nodes, {ip("127.0.0.1"), ip("198.51.100.2")}) == "node2");
  CHECK_THROWS_WITH(find_self_node(nodes, {ip("127.0.0.1")}), Catch::Contains("--self"));
  CHECK_THROWS_WITH(find_self_node(nodes, {ip("198.51.100.1"), ip("198.51.100.3")}),
                    Catch::Contains("both"));
}
