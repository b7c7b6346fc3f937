#include "netlib/ip.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "netlib/error.hpp"

namespace nsnet {

IpAddress IpAddress::parse(std::string_view text) {
  IpAddress ip;
  std::string s(text);
  // inet_pton would stop at a NUL and accept "10.0.0.1\0junk".
  if (s.find('\0') != std::string::npos)
    fail(Code::InvalidConfig, "'{}' is not an IPv4 or IPv6 address (it holds a NUL byte)", s.c_str());
  if (inet_pton(AF_INET, s.c_str(), ip.bytes_.data()) == 1) {
    ip.family_ = Family::V4;
    return ip;
  }
  if (inet_pton(AF_INET6, s.c_str(), ip.bytes_.data()) == 1) {
    ip.family_ = Family::V6;
    return ip;
  }
  fail(Code::InvalidConfig, "'{}' is not an IPv4 or IPv6 address", text);
}

bool IpAddress::valid(std::string_view text) {
  try {
    parse(text);
    return true;
  } catch (const Error&) {
    return false;
  }
}

IpAddress IpAddress::from_bytes(Family family, const void* bytes) {
  IpAddress ip;
  ip.family_ = family;
  std::memcpy(ip.bytes_.data(), bytes, family == Family::V4 ? 4 : 16);
  return ip;
}

int IpAddress::af() const { return is_v4() ? AF_INET : AF_INET6; }

std::string IpAddress::str() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(af(), bytes_.data(), buf, sizeof buf);
  return buf;
}

IpAddress IpAddress::plus(uint64_t n) const {
  IpAddress r = *this;
  // Add n to the big-endian number held in bytes_[0..size()).
  unsigned carry = 0;
  for (int i = static_cast<int>(size()) - 1; i >= 0; --i) {
    unsigned sum = r.bytes_[i] + static_cast<unsigned>(n & 0xff) + carry;
    r.bytes_[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
    n >>= 8;
  }
  return r;
}

IpAddress IpAddress::masked(int prefix) const {
  IpAddress r = *this;
  for (int i = 0; i < static_cast<int>(size()); ++i) {
    int keep = std::clamp(prefix - i * 8, 0, 8);
    r.bytes_[i] &= static_cast<uint8_t>(0xff00 >> keep);
  }
  return r;
}

IpAddress IpAddress::last_in(int prefix) const {
  IpAddress r = *this;
  for (int i = 0; i < static_cast<int>(size()); ++i) {
    int keep = std::clamp(prefix - i * 8, 0, 8);
    r.bytes_[i] |= static_cast<uint8_t>(0xff >> keep);
  }
  return r;
}

Cidr::Cidr(const IpAddress& addr, int prefix) : addr_(addr), prefix_(prefix) {
  if (prefix < 0 || prefix > addr.bits())
    fail(Code::InvalidConfig, "prefix length {} is out of range for {} (0-{})", prefix,
         addr.str(), addr.bits());
}

Cidr Cidr::parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos)
    fail(Code::InvalidConfig, "'{}' is not a CIDR: expected ADDRESS/PREFIX, e.g. 10.0.0.2/24",
         text);
  IpAddress addr;
  try {
    addr = IpAddress::parse(text.substr(0, slash));
  } catch (const Error&) {
    fail(Code::InvalidConfig, "'{}' is not a CIDR: '{}' is not an IP address", text,
         text.substr(0, slash));
  }
  auto len = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
  if (ec != std::errc() || end != len.data() + len.size() || len.empty() || prefix < 0 ||
      prefix > addr.bits())
    fail(Code::InvalidConfig, "'{}' is not a CIDR: prefix length '{}' must be 0-{}", text, len,
         addr.bits());
  return Cidr(addr, prefix);
}

Cidr Cidr::parse_host(std::string_view text) {
  if (text.find('/') != std::string_view::npos) return parse(text);
  auto addr = IpAddress::parse(text);
  return Cidr(addr, addr.bits());
}

bool Cidr::contains(const IpAddress& ip) const {
  return ip.family() == addr_.family() && ip.masked(prefix_) == addr_.masked(prefix_);
}

bool Cidr::overlaps(const Cidr& other) const {
  if (other.addr_.family() != addr_.family()) return false;
  int p = std::min(prefix_, other.prefix_);
  return addr_.masked(p) == other.addr_.masked(p);
}

std::string Cidr::str() const { return fmt::format("{}/{}", addr_.str(), prefix_); }

}  // namespace nsnet
