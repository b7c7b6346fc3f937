#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "netlib/firewall/reservations.hpp"

using namespace nsnet;

namespace {
std::optional<IpAddress> ip(const char* text) { return IpAddress::parse(text); }
}  // namespace

TEST_CASE("a wildcard host IP overlaps every specific one, specific ones only themselves") {
  std::vector<PortClaim> held{{"net/a/eth0", ip("198.51.100.10")}};
  CHECK(find_overlap(held, "net/b/eth0", std::nullopt)->owner == "net/a/eth0");
  CHECK(find_overlap(held, "net/b/eth0", ip("198.51.100.10"))->owner == "net/a/eth0");
  CHECK_FALSE(find_overlap(held, "net/b/eth0", ip("198.51.100.11")));
  held = {{"net/a/eth0", std::nullopt}};
  CHECK(find_overlap(held, "net/b/eth0", ip("198.51.100.11"))->owner == "net/a/eth0");
}

TEST_CASE("an owner never conflicts with its own reservation") {
  std::vector<PortClaim> held{{"net/a/eth0", std::nullopt}};
  CHECK_FALSE(find_overlap(held, "net/a/eth0", std::nullopt));
}

TEST_CASE("claims overlap by protocol, port and host IP") {
  PortMapping any{2525, 25, "tcp", std::nullopt};
  PortMapping ten{2525, 26, "tcp", ip("198.51.100.10")};
  PortMapping eleven{2525, 25, "tcp", ip("198.51.100.11")};
  PortMapping udp{2525, 25, "udp", std::nullopt};
  CHECK(claims_overlap(any, ten));
  CHECK_FALSE(claims_overlap(ten, eleven));
  CHECK_FALSE(claims_overlap(any, udp));
  CHECK_NOTHROW(refuse_overlaps({ten}, {eleven, udp}));
  CHECK_THROWS_WITH(refuse_overlaps({ten}, {any}), Catch::Contains("2525:25/tcp") &&
                                                       Catch::Contains("same host port"));
  CHECK_THROWS_AS(refuse_overlaps({}, {any, any}), Error);
}
