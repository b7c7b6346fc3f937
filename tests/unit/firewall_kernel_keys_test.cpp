#include <catch2/catch.hpp>

#include "netlib/firewall/kernel_keys.hpp"

using namespace nsnet;
using nlohmann::json;

namespace {

json prefix(const char* addr, int len) { return {{"prefix", {{"addr", addr}, {"len", len}}}}; }
KernelKey key_of(const char* set, json key) { return kernel_key({set, std::move(key), nullptr, "net:n"}).value(); }
KernelElement start(KeyBytes key) { return {std::move(key), {}, false}; }
KernelElement end(KeyBytes key) { return {std::move(key), {}, true}; }

}  // namespace

TEST_CASE("an ifname is its name zero-padded to 16 bytes") {
  auto k = key_of("bridges", "nsnet0");
  CHECK(k.shape == SetShape::Plain);
  CHECK(k.key == KeyBytes{'n', 's', 'n', 'e', 't', '0', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(set_holds({start(k.key)}, k));
  CHECK_FALSE(set_holds({start(key_of("bridges", "nsnet9").key)}, k));
  CHECK_FALSE(kernel_key({"bridges", "a-name-of-16-chr", nullptr, ""}));
  CHECK_FALSE(kernel_key({"bridges", 3, nullptr, ""}));
}

TEST_CASE("a prefix is an interval from its network address to its last address") {
  auto k = key_of("subnets_v4", prefix("10.0.0.7", 24));
  CHECK(k.shape == SetShape::Interval);
  CHECK(k.key == KeyBytes{10, 0, 0, 0});
  CHECK(k.last == KeyBytes{10, 0, 0, 255});
  auto v6 = key_of("subnets_v6", prefix("fd00::", 64));
  CHECK(v6.key.size() == 16);
  CHECK(v6.last == KeyBytes{0xfd, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
}

TEST_CASE("an interval set holds a prefix as a start and an end at last + 1") {
  auto k = key_of("subnets_v4", prefix("10.0.0.0", 24));
  // nft also writes an interval end at 0 before the first interval.
  std::vector<KernelElement> dump{end({0, 0, 0, 0}), start({10, 0, 0, 0}), end({10, 0, 1, 0})};
  CHECK(set_holds(dump, k));

  SECTION("its end missing") { CHECK_FALSE(set_holds({start({10, 0, 0, 0})}, k)); }
  SECTION("a shorter interval of the same start") {
    CHECK_FALSE(set_holds({start({10, 0, 0, 0}), end({10, 0, 0, 128})}, k));
  }
  SECTION("a boundary in between") {
    dump.push_back(end({10, 0, 0, 128}));
    CHECK_FALSE(set_holds(dump, k));
  }
  SECTION("the adjacent interval, which shares its end key as a start") {
    CHECK(set_holds({start({10, 0, 0, 0}), end({10, 0, 1, 0}), start({10, 0, 1, 0}), end({10, 0, 2, 0})}, k));
    CHECK_FALSE(set_holds({start({10, 0, 1, 0}), end({10, 0, 2, 0})}, k));
  }
  SECTION("the start flagged as an end") { CHECK_FALSE(set_holds({end({10, 0, 0, 0}), end({10, 0, 1, 0})}, k)); }
  SECTION("a carry into the higher bytes") {
    auto wide = key_of("subnets_v4", prefix("10.0.255.0", 24));
    CHECK(set_holds({start({10, 0, 255, 0}), end({10, 1, 0, 0})}, wide));
  }
}

TEST_CASE("an interval that ends at all-ones has no end element") {
  auto k = key_of("subnets_v4", prefix("255.255.255.0", 24));
  CHECK(set_holds({end({0, 0, 0, 0}), start({255, 255, 255, 0})}, k));
  CHECK_FALSE(set_holds({start({255, 255, 255, 0}), end({255, 255, 255, 128})}, k));
  auto all = key_of("subnets_v4", prefix("0.0.0.0", 0));
  CHECK(set_holds({start({0, 0, 0, 0})}, all));
}

TEST_CASE("a concatenation of prefixes is one element: firsts and lasts") {
  json concat = {{"concat", {prefix("10.0.0.0", 24), prefix("10.244.0.0", 16)}}};
  auto k = key_of("cluster_v4", concat);
  CHECK(k.shape == SetShape::ConcatInterval);
  CHECK(k.key == KeyBytes{10, 0, 0, 0, 10, 244, 0, 0});
  CHECK(k.last == KeyBytes{10, 0, 0, 255, 10, 244, 255, 255});
  CHECK(set_holds({{k.key, k.last, false}}, k));
  CHECK_FALSE(set_holds({{k.key, KeyBytes{10, 0, 0, 255, 10, 245, 255, 255}, false}}, k));
  CHECK_FALSE(set_holds({start(k.key)}, k));
  auto v6 = key_of("cluster_v6", {{"concat", {prefix("fd00::", 64), prefix("fd01::", 48)}}});
  CHECK(v6.key.size() == 32);
}

TEST_CASE("keys the probe cannot encode are left to libnftables") {
  CHECK_FALSE(kernel_key({"snat_v4", "10.0.0.2", "192.0.2.1", ""}));
  CHECK_FALSE(kernel_key({"subnets_v4", prefix("10.0.0.0", 33), nullptr, ""}));
  CHECK_FALSE(kernel_key({"subnets_v4", prefix("not-an-address", 8), nullptr, ""}));
  CHECK_FALSE(kernel_key({"dnat_any_port_v4", {{"concat", {"tcp", 80}}}, nullptr, ""}));
}
