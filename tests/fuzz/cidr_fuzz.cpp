// Addresses and CIDRs: parse, and what parses prints back to itself.
#include "netlib/ip.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace nsnet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = fuzz::text(data, size);
  fuzz::accepts([&] {
    Cidr c = Cidr::parse(text);
    fuzz::require(Cidr::parse(c.str()) == c, "Cidr::parse(str()) round trip");
    fuzz::require(c.network().contains(c.address()), "a CIDR contains its own address");
    fuzz::require(c.overlaps(c.network()), "a CIDR overlaps its network");
    fuzz::require(c.address().last_in(c.prefix()).masked(c.prefix()) == c.network().address(),
                  "last_in stays in the prefix");
    fuzz::require(text.find('\0') == std::string_view::npos, "no NUL in an accepted CIDR");
  });
  fuzz::accepts([&] {
    Cidr c = Cidr::parse_host(text);
    fuzz::require(Cidr::parse(c.str()) == c, "Cidr::parse_host(str()) round trip");
  });
  fuzz::accepts([&] {
    IpAddress ip = IpAddress::parse(text);
    fuzz::require(IpAddress::parse(ip.str()) == ip, "IpAddress::parse(str()) round trip");
    fuzz::require(ip.plus(1) != ip, "plus(1) moves");
  });
  return 0;
}
