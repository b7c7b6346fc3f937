#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "netlib/firewall/port_spec.hpp"

using namespace nsnet;

TEST_CASE("port specs: host:container, default tcp") {
  auto m = parse_port_spec("2525:25");
  REQUIRE(m.size() == 1);
  CHECK(m[0].host_port == 2525);
  CHECK(m[0].container_port == 25);
  CHECK(m[0].protocol == "tcp");
  CHECK_FALSE(m[0].host_ip);
  CHECK(format_port_mapping(m[0]) == "2525:25/tcp");
}

TEST_CASE("port specs: equal ranges expand to one mapping per port") {
  auto m = parse_port_spec("8000-8010:9000-9010/udp");
  REQUIRE(m.size() == 11);
  CHECK(m.front().host_port == 8000);
  CHECK(m.front().container_port == 9000);
  CHECK(m.back().host_port == 8010);
  CHECK(m.back().container_port == 9010);
  CHECK(m.back().protocol == "udp");
}

TEST_CASE("port specs: host IP, v4 and bracketed v6") {
  auto v4 = parse_port_spec("198.51.100.10:25:25");
  REQUIRE(v4.size() == 1);
  CHECK(v4[0].host_ip->str() == "198.51.100.10");
  CHECK(format_port_mapping(v4[0]) == "198.51.100.10:25:25/tcp");
  auto v6 = parse_port_spec("[2001:db8::1]:587:25/sctp");
  CHECK(v6[0].host_ip->str() == "2001:db8::1");
  CHECK(v6[0].protocol == "sctp");
  CHECK(format_port_mapping(v6[0]) == "[2001:db8::1]:587:25/sctp");
}

TEST_CASE("port specs: bad input names the spec and the fault") {
  CHECK_THROWS_WITH(parse_port_spec("25"), Catch::Contains("'25'") && Catch::Contains("missing ':'"));
  CHECK_THROWS_WITH(parse_port_spec("0:25"), Catch::Contains("'0' is not a port number"));
  CHECK_THROWS_WITH(parse_port_spec("70000:25"), Catch::Contains("'70000'"));
  CHECK_THROWS_WITH(parse_port_spec("2525:25/icmp"), Catch::Contains("'icmp' is not tcp"));
  CHECK_THROWS_WITH(parse_port_spec("8000-8010:80"), Catch::Contains("11 ports"));
  CHECK_THROWS_WITH(parse_port_spec("8010-8000:8010-8000"), Catch::Contains("backwards"));
  CHECK_THROWS_WITH(parse_port_spec("10.0.0.300:25:25"), Catch::Contains("'10.0.0.300'"));
  CHECK_THROWS_WITH(parse_port_spec("2001:db8::1:25:25"), Catch::Contains("brackets"));
  CHECK_THROWS_WITH(parse_port_spec("x:25"), Catch::Contains("'x'"));
  try {
    parse_port_spec("nope");
    FAIL("no throw");
  } catch (const Error& e) {
    CHECK(e.code() == Code::InvalidArgument);
  }
}

TEST_CASE("port mappings from CNI runtimeConfig are validated too") {
  CHECK_NOTHROW(validate_port_mapping({2525, 25, "tcp", std::nullopt}));
  CHECK_THROWS_WITH(validate_port_mapping({2525, 25, "TCP", std::nullopt}), Catch::Contains("'TCP'"));
  CHECK_THROWS_WITH(validate_port_mapping({0, 25, "udp", std::nullopt}), Catch::Contains("port 0"));
}
