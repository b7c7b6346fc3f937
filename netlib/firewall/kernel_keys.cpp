#include "netlib/firewall/kernel_keys.hpp"

#include <net/if.h>

#include <algorithm>

#include "netlib/firewall/ruleset.hpp"
#include "netlib/ip.hpp"

namespace nsnet {
namespace {

using nlohmann::json;

struct Range {
  KeyBytes first;
  KeyBytes last;
};

KeyBytes bytes_of(const IpAddress& ip) { return KeyBytes(ip.bytes(), ip.bytes() + ip.size()); }

// {"prefix": {"addr": A, "len": L}} -> [A masked, last address].
std::optional<Range> prefix_range(const json& key) {
  if (!key.is_object() || !key.contains("prefix")) return std::nullopt;
  const auto& p = key["prefix"];
  if (!p.is_object() || !p.contains("addr") || !p.contains("len") || !p["addr"].is_string() ||
      !p["len"].is_number_integer())
    return std::nullopt;
  auto addr_text = p["addr"].get<std::string>();
  int len = p["len"].get<int>();
  if (!IpAddress::valid(addr_text)) return std::nullopt;
  auto addr = IpAddress::parse(addr_text);
  if (len < 0 || len > addr.bits()) return std::nullopt;
  return Range{bytes_of(addr.masked(len)), bytes_of(addr.last_in(len))};
}

// Each field of a concatenation takes a multiple of 4 bytes (NFT_REG32).
void append_field(KeyBytes& to, const KeyBytes& field) {
  to.insert(to.end(), field.begin(), field.end());
  to.resize(to.size() + (4 - field.size() % 4) % 4, 0);
}

std::optional<KernelKey> concat_key(const json& key) {
  if (!key.is_object() || !key.contains("concat") || !key["concat"].is_array() || key["concat"].empty())
    return std::nullopt;
  KernelKey out{SetShape::ConcatInterval, {}, {}};
  for (const auto& part : key["concat"]) {
    auto range = prefix_range(part);
    if (!range) return std::nullopt;
    append_field(out.key, range->first);
    append_field(out.last, range->last);
  }
  return out;
}

bool all_ones(const KeyBytes& b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0xff; });
}

// last + 1, big-endian; the caller rules out all-ones.
KeyBytes successor(KeyBytes b) {
  for (auto it = b.rbegin(); it != b.rend(); ++it)
    if (++*it != 0) break;
  return b;
}

bool is_start(const KernelElement& e, const KeyBytes& key) {
  return !e.interval_end && e.key_end.empty() && e.key == key;
}

bool interval_held(const std::vector<KernelElement>& dump, const KernelKey& wanted) {
  if (!std::any_of(dump.begin(), dump.end(), [&](const auto& e) { return is_start(e, wanted.key); }))
    return false;
  // Equal-length big-endian keys order as byte strings.
  auto after_start = [&](const KernelElement& e) { return e.key > wanted.key; };
  if (all_ones(wanted.last)) return std::none_of(dump.begin(), dump.end(), after_start);
  auto end = successor(wanted.last);
  bool ended = std::any_of(dump.begin(), dump.end(), [&](const auto& e) {
    return e.interval_end && e.key_end.empty() && e.key == end;
  });
  bool boundary_inside = std::any_of(dump.begin(), dump.end(), [&](const auto& e) {
    return after_start(e) && e.key < end;
  });
  return ended && !boundary_inside;
}

}  // namespace

std::optional<KernelKey> kernel_key(const Element& e) {
  if (e.set == ruleset::kBridges) {
    if (!e.key.is_string()) return std::nullopt;
    auto name = e.key.get<std::string>();
    if (name.empty() || name.size() >= IFNAMSIZ) return std::nullopt;
    KeyBytes key(name.begin(), name.end());
    key.resize(IFNAMSIZ, 0);
    return KernelKey{SetShape::Plain, key, {}};
  }
  if (auto range = prefix_range(e.key)) return KernelKey{SetShape::Interval, range->first, range->last};
  return concat_key(e.key);
}

bool set_holds(const std::vector<KernelElement>& dump, const KernelKey& wanted) {
  switch (wanted.shape) {
    case SetShape::Plain:
      return std::any_of(dump.begin(), dump.end(), [&](const auto& e) { return is_start(e, wanted.key); });
    case SetShape::Interval:
      return interval_held(dump, wanted);
    case SetShape::ConcatInterval:
      return std::any_of(dump.begin(), dump.end(), [&](const auto& e) {
        return !e.interval_end && e.key == wanted.key && e.key_end == wanted.last;
      });
  }
  return false;
}

}  // namespace nsnet
