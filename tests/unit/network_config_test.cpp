#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "netlib/error.hpp"
#include "netlib/network_config.hpp"

using namespace nsnet;
using nlohmann::json;

namespace {

json minimal() {
  return json::parse(R"({
    "cniVersion": "1.0.0", "name": "mail", "type": "nsnet",
    "ipam": {"type": "nsnet", "ranges": [[{"subnet": "10.10.0.0/24"}]]}
  })");
}

Code code_of(const json& config) {
  try {
    network_from_json(config);
  } catch (const Error& e) {
    return e.code();
  }
  return Code::Internal;
}

}  // namespace

TEST_CASE("a minimal config gets the documented defaults") {
  Network n = network_from_json(minimal());
  CHECK(n.name == "mail");
  CHECK(n.cni_version == "1.0.0");
  CHECK(n.bridge == "nsnet0");
  CHECK(n.is_gateway);
  CHECK(n.is_default_gateway);
  CHECK(n.ip_masq);
  CHECK(n.hairpin_mode);
  CHECK(n.mtu == 0);
  REQUIRE(n.ipam.ranges.size() == 1);
  CHECK(n.ipam.ranges[0][0].subnet.str() == "10.10.0.0/24");
  CHECK_FALSE(n.ipam.ranges[0][0].gateway);
  CHECK(n.raw == minimal());
}

TEST_CASE("every documented key is read") {
  json c = minimal();
  c["bridge"] = "br-mail";
  c["isGateway"] = true;
  c["isDefaultGateway"] = false;
  c["ipMasq"] = false;
  c["mtu"] = 1400;
  c["hairpinMode"] = false;
  c["promiscMode"] = true;
  c["forceAddress"] = true;
  c["dns"] = {{"nameservers", {"10.10.0.1"}}};
  c["ipam"]["ranges"] = json::parse(R"([[{"subnet": "10.10.0.0/24", "rangeStart": "10.10.0.10",
      "rangeEnd": "10.10.0.20", "gateway": "10.10.0.254"}], [{"subnet": "fd10::/64"}]])");
  c["ipam"]["routes"] = json::parse(R"([{"dst": "0.0.0.0/0"}, {"dst": "192.0.2.0/24", "gw": "10.10.0.254"}])");
  c["someOtherPluginsKey"] = {1, 2};  // unknown keys are ignored
  Network n = network_from_json(c);
  CHECK(n.bridge == "br-mail");
  CHECK_FALSE(n.is_default_gateway);
  CHECK_FALSE(n.ip_masq);
  CHECK(n.mtu == 1400);
  CHECK_FALSE(n.hairpin_mode);
  CHECK(n.promisc_mode);
  CHECK(n.force_address);
  CHECK(n.dns["nameservers"][0] == "10.10.0.1");
  REQUIRE(n.ipam.ranges.size() == 2);
  CHECK(n.ipam.ranges[0][0].range_start->str() == "10.10.0.10");
  CHECK(n.ipam.ranges[0][0].range_end->str() == "10.10.0.20");
  CHECK(n.ipam.ranges[0][0].gateway->str() == "10.10.0.254");
  CHECK_FALSE(n.ipam.ranges[1][0].subnet.is_v4());
  REQUIRE(n.ipam.routes.size() == 2);
  CHECK(n.ipam.routes[1].gw->str() == "10.10.0.254");

  SECTION("and written back the same") {
    Network again = network_from_json(network_to_json(n));
    CHECK(network_to_json(again) == network_to_json(n));
  }
}

TEST_CASE("isDefaultGateway implies isGateway") {
  json c = minimal();
  c["isGateway"] = false;
  c["isDefaultGateway"] = true;
  CHECK(network_from_json(c).is_gateway);
}

TEST_CASE("host-local's single-subnet ipam form is accepted") {
  json c = minimal();
  c["ipam"] = {{"type", "nsnet"}, {"subnet", "10.20.0.0/16"}, {"gateway", "10.20.0.1"}};
  Network n = network_from_json(c);
  REQUIRE(n.ipam.ranges.size() == 1);
  CHECK(n.ipam.ranges[0][0].subnet.str() == "10.20.0.0/16");
  CHECK(n.ipam.ranges[0][0].gateway->str() == "10.20.0.1");
}

TEST_CASE("a subnet written with host bits is taken as its network") {
  json c = minimal();
  c["ipam"]["ranges"][0][0]["subnet"] = "10.10.0.7/24";
  CHECK(network_from_json(c).ipam.ranges[0][0].subnet.str() == "10.10.0.0/24");
}

TEST_CASE("bad values are refused with code 7 naming the field") {
  auto message = [](json c) {
    try {
      network_from_json(c);
    } catch (const Error& e) {
      CHECK(e.code() == Code::InvalidConfig);
      return std::string(e.what());
    }
    FAIL("accepted");
    return std::string();
  };
  json c = minimal();
  c.erase("name");
  CHECK_THAT(message(c), Catch::Contains("'name' is missing"));
  c = minimal();
  c["name"] = "-bad";
  CHECK_THAT(message(c), Catch::Contains("'name'"));
  c = minimal();
  c.erase("cniVersion");
  CHECK_THAT(message(c), Catch::Contains("'cniVersion'"));
  c = minimal();
  c["ipMasq"] = "yes";
  CHECK_THAT(message(c), Catch::Contains("'ipMasq'") && Catch::Contains("\"yes\""));
  c = minimal();
  c["mtu"] = 20;
  CHECK_THAT(message(c), Catch::Contains("'mtu'"));
  c = minimal();
  c["bridge"] = "this-name-is-far-too-long";
  CHECK_THAT(message(c), Catch::Contains("'bridge'"));
  c = minimal();
  c.erase("ipam");
  CHECK_THAT(message(c), Catch::Contains("'ipam' is missing"));
  c = minimal();
  c["ipam"]["ranges"][0][0]["subnet"] = "10.10.0/24";
  CHECK_THAT(message(c), Catch::Contains("'ipam.ranges[0][0].subnet'"));
  c = minimal();
  c["ipam"]["ranges"][0][0]["gateway"] = "10.11.0.1";
  CHECK_THAT(message(c), Catch::Contains("'ipam.ranges[0][0].gateway'") && Catch::Contains("not in subnet"));
  c = minimal();
  c["ipam"]["ranges"][0][0]["rangeStart"] = "10.10.0.50";
  c["ipam"]["ranges"][0][0]["rangeEnd"] = "10.10.0.40";
  CHECK_THAT(message(c), Catch::Contains("'ipam.ranges[0][0].rangeEnd'"));
  c = minimal();
  c["ipam"]["ranges"][0][0]["subnet"] = "10.10.0.0/31";
  CHECK_THAT(message(c), Catch::Contains("too small"));
  c = minimal();
  c["ipam"]["ranges"].push_back(json::parse(R"([{"subnet": "10.10.0.128/25"}])"));
  CHECK_THAT(message(c), Catch::Contains("'ipam.ranges[1][0].subnet'") && Catch::Contains("overlaps"));
  c = minimal();
  c["ipam"]["ranges"][0].push_back({{"subnet", "fd00::/64"}});
  CHECK_THAT(message(c), Catch::Contains("'ipam.ranges[0][1].subnet'") && Catch::Contains("IPv4 and IPv6"));
  c = minimal();
  c["ipam"]["ranges"] = json::array();
  CHECK_THAT(message(c), Catch::Contains("'ipam.ranges' is missing"));
  c = minimal();
  c["ipam"]["routes"] = json::parse(R"([{"dst": "0.0.0.0/0", "gw": "fd00::1"}])");
  CHECK_THAT(message(c), Catch::Contains("'ipam.routes[0].gw'"));
  CHECK(code_of(json::array()) == Code::InvalidConfig);
}

TEST_CASE("reference bridge features nsnet lacks are refused with code 2 naming key and value") {
  json c = minimal();
  c["vlan"] = 100;
  try {
    network_from_json(c);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == Code::UnsupportedField);
    CHECK_THAT(e.what(), Catch::Contains("'vlan'") && Catch::Contains("100"));
  }
  c["vlan"] = 0;  // the default is harmless
  CHECK_NOTHROW(network_from_json(c));
  c["macspoofchk"] = true;
  CHECK(code_of(c) == Code::UnsupportedField);
}

TEST_CASE("a delegated ipam section is kept whole and not judged by our rules") {
  json c = minimal();
  c["ipam"] = json::parse(R"({"type": "host-local", "dataDir": "/x", "ranges": [[{"subnet": "10.30.0.0/24"}]],
                             "routes": [{"dst": "0.0.0.0/0"}]})");
  Network n = network_from_json(c);
  CHECK(n.ipam.type == "host-local");
  CHECK(n.ipam.ranges.empty());
  CHECK(n.ipam.routes.size() == 1);
  CHECK(network_to_json(n)["ipam"] == c["ipam"]);
}

TEST_CASE("conflists: written for Podman 4.3 and newer runtimes, read back") {
  Network n = network_from_json(minimal());
  json list = conflist_from_network(n);
  CHECK(list["cniVersion"] == "1.0.0");
  CHECK(list["cniVersions"] == json({"1.0.0", "1.1.0"}));
  CHECK(list["name"] == "mail");
  REQUIRE(list["plugins"].size() == 1);
  CHECK(list["plugins"][0]["type"] == "nsnet");
  CHECK_FALSE(list["plugins"][0].contains("name"));
  CHECK(list["plugins"][0]["capabilities"]["ips"] == true);
  Network back = network_from_conflist(list);
  CHECK(back.name == "mail");
  CHECK(network_to_json(back) == network_to_json(n));

  SECTION("the nsnet plugin is found among chained ones") {
    list["plugins"].insert(list["plugins"].begin(), {{"type", "tuning"}});
    list["plugins"].push_back({{"type", "portmap"}});
    CHECK(network_from_conflist(list).name == "mail");
  }
  SECTION("a conflist without nsnet is refused") {
    list["plugins"] = json::parse(R"([{"type": "bridge"}])");
    CHECK_THROWS_WITH(network_from_conflist(list), Catch::Contains("no plugin of type nsnet"));
  }
  SECTION("a type or name that is not a string is refused with code 7 (found by fuzzing)") {
    list["plugins"] = json::parse(R"([{"type": 7}])");
    CHECK_THROWS_AS(network_from_conflist(list), Error);
    CHECK_THROWS_AS(network_from_conflist(json::parse(R"({"name": 1, "type": 2})")), Error);
  }
}

TEST_CASE("every example in cni-conf/ is a valid nsnet network") {
  namespace fs = std::filesystem;
  auto dir = fs::path(__FILE__).parent_path() / ".." / ".." / "cni-conf";
  int examples = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    INFO(entry.path().string());
    std::ifstream in(entry.path());
    json list = json::parse(in);
    CHECK(list["cniVersion"] == "1.0.0");
    CHECK_NOTHROW(network_from_conflist(list));
    ++examples;
  }
  CHECK(examples >= 5);
}
