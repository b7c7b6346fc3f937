#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "netlib/ip.hpp"

using namespace nsnet;

TEST_CASE("IP addresses parse and print in both families") {
  CHECK(IpAddress::parse("10.0.0.2").str() == "10.0.0.2");
  CHECK(IpAddress::parse("10.0.0.2").is_v4());
  CHECK(IpAddress::parse("fd00::0001").str() == "fd00::1");
  CHECK_FALSE(IpAddress::parse("fd00::1").is_v4());
  CHECK_FALSE(IpAddress::valid("10.0.0.256"));
  CHECK_FALSE(IpAddress::valid(""));
  CHECK_FALSE(IpAddress::valid("10.0.0.1/24"));
  // Found by fuzzing: inet_pton stops at a NUL, so "10.0.0.1\0junk" parsed.
  CHECK_FALSE(IpAddress::valid(std::string_view("10.0.0.1\0junk", 13)));
  CHECK_THROWS_WITH(IpAddress::parse("nope"), Catch::Contains("'nope'"));
}

TEST_CASE("IP arithmetic") {
  CHECK(IpAddress::parse("10.0.0.255").plus(1).str() == "10.0.1.0");
  CHECK(IpAddress::parse("fd00::ffff").plus(1).str() == "fd00::1:0");
  CHECK(IpAddress::parse("10.1.2.3").masked(16).str() == "10.1.0.0");
  CHECK(IpAddress::parse("10.1.2.3").last_in(24).str() == "10.1.2.255");
  CHECK(IpAddress::parse("10.0.0.1") < IpAddress::parse("10.0.0.2"));
}

TEST_CASE("CIDRs parse, print and reject bad input naming it") {
  auto c = Cidr::parse("10.0.0.2/24");
  CHECK(c.str() == "10.0.0.2/24");
  CHECK(c.network().str() == "10.0.0.0/24");
  CHECK(c.contains(IpAddress::parse("10.0.0.200")));
  CHECK_FALSE(c.contains(IpAddress::parse("10.0.1.1")));
  CHECK_FALSE(c.contains(IpAddress::parse("fd00::1")));
  CHECK(Cidr::parse("fd00:1::5/64").network().str() == "fd00:1::/64");
  CHECK(Cidr::parse_host("10.0.0.9").prefix() == 32);
  CHECK(Cidr::parse("10.0.0.0/8").overlaps(Cidr::parse("10.2.0.0/16")));
  CHECK_FALSE(Cidr::parse("10.0.0.0/24").overlaps(Cidr::parse("10.0.1.0/24")));

  CHECK_THROWS_WITH(Cidr::parse("10.0.0.2"), Catch::Contains("expected ADDRESS/PREFIX"));
  CHECK_THROWS_WITH(Cidr::parse("10.0.0.2/33"), Catch::Contains("'33' must be 0-32"));
  CHECK_THROWS_WITH(Cidr::parse("10.0.0.2/"), Catch::Contains("must be 0-32"));
  CHECK_THROWS_WITH(Cidr::parse("10.0.0.2/2x"), Catch::Contains("must be 0-32"));
  CHECK_THROWS_WITH(Cidr::parse("fd00::1/129"), Catch::Contains("must be 0-128"));
  CHECK_THROWS_WITH(Cidr::parse("10.0.0.300/24"), Catch::Contains("'10.0.0.300'"));
  try {
    Cidr::parse("x/1");
  } catch (const Error& e) {
    CHECK(e.code() == Code::InvalidConfig);
  }
}
