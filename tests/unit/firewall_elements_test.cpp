#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "netlib/firewall/elements.hpp"
#include "netlib/firewall/ruleset.hpp"

using namespace nsnet;
using nlohmann::json;

namespace {

FirewallAttachment web1() {
  FirewallAttachment a;
  a.key = {"mail", "web1", "eth0"};
  a.bridge = "nsnet0";
  a.addresses = {Cidr::parse("10.0.0.2/24"), Cidr::parse("fd00::2/64")};
  a.ports = {{2525, 25, "tcp", std::nullopt}};
  return a;
}

const Element* find(const std::vector<Element>& all, const std::string& set) {
  for (const auto& e : all)
    if (e.set == set) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("elements carry the attachment key, network elements the network") {
  auto a = web1();
  CHECK(owner_comment(a.key) == "mail/web1/eth0");
  for (const auto& e : attachment_elements(a)) CHECK(e.comment == "mail/web1/eth0");
  for (const auto& e : network_elements(a)) CHECK(e.comment == "net:mail");
}

TEST_CASE("a wildcard mapping is published in both families, by (proto, port)") {
  auto all = attachment_elements(web1());
  CHECK(all.size() == 4);  // addr + port map, v4 and v6
  auto* addr = find(all, "dnat_any_addr_v4");
  REQUIRE(addr);
  CHECK(addr->key == json::parse(R"({"concat": ["tcp", 2525]})"));
  CHECK(addr->value == "10.0.0.2");
  auto* port = find(all, "dnat_any_port_v6");
  REQUIRE(port);
  CHECK(port->value == 25);
  CHECK_FALSE(find(all, "snat_v4"));
}

TEST_CASE("a host IP makes SNAT and binds wildcard mappings to it, in its family only") {
  auto a = web1();
  a.host_ip = IpAddress::parse("198.51.100.10");
  auto all = attachment_elements(a);
  auto* snat = find(all, "snat_v4");
  REQUIRE(snat);
  CHECK(snat->key == "10.0.0.2");
  CHECK(snat->value == "198.51.100.10");
  auto* addr = find(all, "dnat_addr_v4");
  REQUIRE(addr);
  CHECK(addr->key == json::parse(R"({"concat": ["tcp", "198.51.100.10", 2525]})"));
  CHECK_FALSE(find(all, "dnat_any_addr_v4"));
  CHECK_FALSE(find(all, "dnat_addr_v6"));
  CHECK_FALSE(find(all, "dnat_any_addr_v6"));
}

TEST_CASE("masquerade follows ipMasq; subnets are always listed") {
  auto a = web1();
  auto with = network_elements(a);
  CHECK(find(with, "masquerade_v4"));
  CHECK(find(with, "subnets_v6")->key == json::parse(R"({"prefix": {"addr": "fd00::", "len": 64}})"));
  CHECK(find(with, "bridges")->key == "nsnet0");
  a.masquerade = false;
  auto without = network_elements(a);
  CHECK_FALSE(find(without, "masquerade_v4"));
  CHECK(find(without, "subnets_v4"));
}

TEST_CASE("publishing to a family the container lacks is refused") {
  auto a = web1();
  a.addresses = {Cidr::parse("10.0.0.2/24")};
  a.ports = {{25, 25, "tcp", IpAddress::parse("2001:db8::1")}};
  CHECK_THROWS_WITH(attachment_elements(a), Catch::Contains("no IPv6 address"));
}

TEST_CASE("records round-trip through JSON") {
  auto a = web1();
  a.host_ip = IpAddress::parse("198.51.100.10");
  a.ports.push_back({5353, 53, "udp", IpAddress::parse("203.0.113.7")});
  auto b = firewall_attachment_from_json(to_json(a));
  CHECK(to_json(b) == to_json(a));
  CHECK_THROWS_AS(firewall_attachment_from_json(json::object()), Error);
}

TEST_CASE("add and delete commands group elements per set; delete needs keys only") {
  auto all = attachment_elements(web1());
  auto add = add_elements(all);
  CHECK(add.size() == 4);
  auto first = add[0]["add"]["element"];
  CHECK(first["table"] == "nsnet");
  CHECK(first["elem"][0][0]["elem"]["comment"] == "mail/web1/eth0");
  auto del = delete_elements(all);
  CHECK(del[0]["delete"]["element"]["elem"][0] == all[0].key);
}

TEST_CASE("the ruleset is a constant list of rules") {
  auto cmds = ruleset::ensure_commands();
  size_t rules = 0;
  for (const auto& c : cmds)
    if (c.contains("add") && c["add"].contains("rule")) ++rules;
  CHECK(rules == 19);
  CHECK(ruleset::all_sets().size() == 17);
}

namespace {

// Our table as nft would list it right after ensure_commands(): each added
// chain and rule becomes a listed one.
json listing_after_ensure() {
  json listing = json::array();
  for (const auto& c : ruleset::ensure_commands()) {
    if (!c.contains("add")) continue;
    for (const char* kind : {"chain", "rule"})
      if (c["add"].contains(kind)) listing.push_back({{kind, c["add"][kind]}});
  }
  return listing;
}

}  // namespace

TEST_CASE("rules are current only as ensure_commands() writes them") {
  auto listing = listing_after_ensure();
  CHECK(ruleset::rules_current(listing));

  SECTION("a rule missing") {
    for (size_t i = 0; i < listing.size(); ++i)
      if (listing[i].contains("rule")) {
        listing.erase(i);
        break;
      }
    CHECK_FALSE(ruleset::rules_current(listing));
  }
  SECTION("a foreign rule, without our comment") {
    listing.push_back({{"rule", ruleset::object({{"chain", "forward"}, {"expr", json::array()}})}});
    CHECK_FALSE(ruleset::rules_current(listing));
  }
  SECTION("a rule of another version") {
    for (auto& item : listing)
      if (item.contains("rule")) item["rule"]["comment"] = "nsnet 0000000000000000";
    CHECK_FALSE(ruleset::rules_current(listing));
  }
  SECTION("a rule twice (and so another one missing, or one too many)") {
    for (size_t i = 0; i < listing.size(); ++i)
      if (listing[i].contains("rule")) {
        listing.push_back(listing[i]);
        break;
      }
    CHECK_FALSE(ruleset::rules_current(listing));
  }
  SECTION("a base chain that drops by default") {
    for (auto& item : listing)
      if (item.contains("chain") && item["chain"]["name"] == "forward") item["chain"]["policy"] = "drop";
    CHECK_FALSE(ruleset::rules_current(listing));
  }
  SECTION("an empty table") { CHECK_FALSE(ruleset::rules_current(json::array())); }
}
