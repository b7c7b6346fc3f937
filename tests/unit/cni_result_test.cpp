#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "plugin/result.hpp"

using namespace nsnet;
using namespace nsnet::cni;
using nlohmann::json;

namespace {

AttachResult sample() {
  AttachResult r;
  r.interfaces = {{"nsnet1", "02:00:00:00:00:01", ""},
                  {"nsv0123456789ab", "02:00:00:00:00:02", ""},
                  {"eth0", "02:00:00:00:00:03", "/run/netns/c1"}};
  r.ips = {{Cidr::parse("10.10.0.2/24"), IpAddress::parse("10.10.0.1"), 2},
           {Cidr::parse("fd10::2/64"), IpAddress::parse("fd10::1"), 2}};
  r.routes = {{Cidr::parse("0.0.0.0/0"), IpAddress::parse("10.10.0.1")}};
  return r;
}

}  // namespace

TEST_CASE("results in 1.x have no ips[].version") {
  for (auto v : {"1.0.0", "1.1.0"}) {
    json j = result_to_json(sample(), v);
    CHECK(j["cniVersion"] == v);
    CHECK_FALSE(j["ips"][0].contains("version"));
    CHECK(j["ips"][0]["address"] == "10.10.0.2/24");
    CHECK(j["ips"][0]["gateway"] == "10.10.0.1");
    CHECK(j["ips"][0]["interface"] == 2);
    CHECK(j["interfaces"][2]["sandbox"] == "/run/netns/c1");
    CHECK_FALSE(j["interfaces"][0].contains("sandbox"));
    CHECK(j["routes"][0] == json({{"dst", "0.0.0.0/0"}, {"gw", "10.10.0.1"}}));
    CHECK(j["dns"] == json::object());
  }
}

TEST_CASE("results below 1.0.0 carry ips[].version") {
  for (auto v : {"0.3.0", "0.3.1", "0.4.0"}) {
    json j = result_to_json(sample(), v);
    CHECK(j["cniVersion"] == v);
    CHECK(j["ips"][0]["version"] == "4");
    CHECK(j["ips"][1]["version"] == "6");
  }
}

TEST_CASE("conversion between versions keeps unknown keys") {
  json old = result_to_json(sample(), "0.4.0");
  old["interfaces"][0]["mtu"] = 1500;
  json now = convert_result(old, "1.1.0");
  CHECK_FALSE(now["ips"][0].contains("version"));
  CHECK(now["interfaces"][0]["mtu"] == 1500);
  CHECK(convert_result(now, "0.3.1")["ips"][1]["version"] == "6");
}

TEST_CASE("results parse back, whatever their version") {
  for (auto v : {"0.3.0", "1.0.0"}) {
    AttachResult r = result_from_json(result_to_json(sample(), v), "prevResult");
    REQUIRE(r.interfaces.size() == 3);
    CHECK(r.interfaces[2].sandbox == "/run/netns/c1");
    REQUIRE(r.ips.size() == 2);
    CHECK(r.ips[1].address.str() == "fd10::2/64");
    CHECK(r.ips[1].interface == 2);
    CHECK(r.routes[0].gw->str() == "10.10.0.1");
  }
  // An IPAM plugin's result: no interfaces, no interface index.
  AttachResult ipam = result_from_json(json::parse(R"({"cniVersion": "1.0.0",
      "ips": [{"address": "10.30.0.2/24", "gateway": "10.30.0.1"}]})"), "host-local");
  CHECK(ipam.ips[0].interface == -1);
}

TEST_CASE("malformed results are refused naming the field") {
  auto bad = [](const char* text, const char* field) {
    try {
      result_from_json(json::parse(text), "prevResult");
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == Code::InvalidConfig);
      CHECK_THAT(e.what(), Catch::Contains("prevResult") && Catch::Contains(field));
    }
  };
  bad(R"({"ips": [{"address": "10.0.0.300/24"}]})", "ips[0].address");
  bad(R"({"ips": [{"address": "10.0.0.3/24", "interface": 1}]})", "ips[0].interface");
  bad(R"({"interfaces": [{"mac": "x"}]})", "interfaces[0].name");
  bad(R"({"routes": [{"gw": "10.0.0.1"}]})", "routes[0].dst");
  bad(R"({"ips": {}})", "ips");
}

TEST_CASE("merging after prevResult shifts our interface indexes") {
  json prev = json::parse(R"({"cniVersion": "1.0.0",
      "interfaces": [{"name": "dummy0"}],
      "ips": [{"address": "192.0.2.5/24", "interface": 0}],
      "dns": {"nameservers": ["192.0.2.53"]}})");
  json ours = result_to_json(sample(), "1.0.0");
  json merged = merge_results(prev, ours);
  REQUIRE(merged["interfaces"].size() == 4);
  CHECK(merged["interfaces"][0]["name"] == "dummy0");
  CHECK(merged["interfaces"][3]["name"] == "eth0");
  CHECK(merged["ips"][0]["interface"] == 0);
  CHECK(merged["ips"][1]["interface"] == 3);
  CHECK(merged["routes"].size() == 1);
  CHECK(merged["dns"]["nameservers"][0] == "192.0.2.53");
  CHECK(merge_results(json::object(), ours)["ips"][0]["interface"] == 2);
}
