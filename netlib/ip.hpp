// IPv4/IPv6 addresses and CIDR prefixes: parse, print, compare, iterate.
// Bad input throws Error(InvalidConfig) naming the offending text.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace nsnet {

class IpAddress {
 public:
  enum class Family : uint8_t { V4 = 4, V6 = 6 };

  IpAddress() = default;
  static IpAddress parse(std::string_view text);   // throws on bad input
  static bool valid(std::string_view text);
  static IpAddress from_bytes(Family family, const void* bytes);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::V4; }
  int af() const;                        // AF_INET or AF_INET6
  int bits() const { return is_v4() ? 32 : 128; }
  const uint8_t* bytes() const { return bytes_.data(); }
  size_t size() const { return is_v4() ? 4 : 16; }
  std::string str() const;

  // The address plus n (may wrap within the family's space).
  IpAddress plus(uint64_t n) const;
  // Keep the first `prefix` bits, zero the rest.
  IpAddress masked(int prefix) const;
  // Set every bit after the first `prefix` bits (the v4 broadcast address).
  IpAddress last_in(int prefix) const;

  auto operator<=>(const IpAddress&) const = default;

 private:
  Family family_ = Family::V4;
  std::array<uint8_t, 16> bytes_{};
};

// An address with a prefix length, e.g. 10.0.0.2/24. The address part is kept
// as written (a host address); network() gives the masked form.
class Cidr {
 public:
  Cidr() = default;
  Cidr(const IpAddress& addr, int prefix);
  static Cidr parse(std::string_view text);   // "ADDR/LEN"; throws on bad input
  // "ADDR/LEN" or a bare "ADDR" (taken as /32 or /128).
  static Cidr parse_host(std::string_view text);

  const IpAddress& address() const { return addr_; }
  int prefix() const { return prefix_; }
  bool is_v4() const { return addr_.is_v4(); }
  Cidr network() const { return Cidr(addr_.masked(prefix_), prefix_); }
  bool contains(const IpAddress& ip) const;
  bool overlaps(const Cidr& other) const;
  std::string str() const;

  auto operator<=>(const Cidr&) const = default;

 private:
  IpAddress addr_;
  int prefix_ = 0;
};

}  // namespace nsnet
