#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "netlib/names.hpp"

using namespace nsnet;

TEST_CASE("netns names follow iproute2's rules") {
  CHECK_NOTHROW(validate_netns_name("web1"));
  CHECK_NOTHROW(validate_netns_name("a b:c"));  // iproute2 allows these
  CHECK_NOTHROW(validate_netns_name(std::string(255, 'x')));
  CHECK_THROWS_WITH(validate_netns_name(""), Catch::Contains("must not be empty"));
  CHECK_THROWS_WITH(validate_netns_name("a/b"), Catch::Contains("'/'"));
  CHECK_THROWS_WITH(validate_netns_name("."), Catch::Contains("not a valid"));
  CHECK_THROWS_WITH(validate_netns_name(".."), Catch::Contains("not a valid"));
  CHECK_THROWS_WITH(validate_netns_name(std::string(256, 'x')), Catch::Contains("longer than 255"));
}

TEST_CASE("container ids and interface names cannot escape into paths") {
  CHECK_NOTHROW(validate_container_id("0a1b-c_d.e"));
  CHECK_THROWS(validate_container_id(""));
  CHECK_NOTHROW(validate_container_id(std::string(128, 'a')));
  CHECK_THROWS_WITH(validate_container_id(std::string(129, 'a')), Catch::Contains("longer than 128"));
  CHECK_THROWS_WITH(validate_container_id("../etc"), Catch::Contains("start with a letter"));
  CHECK_THROWS_WITH(validate_container_id("a/b"), Catch::Contains("may only contain"));
  CHECK_NOTHROW(validate_ifname("eth0"));
  CHECK_NOTHROW(validate_ifname("abcdefghijklmno"));
  CHECK_THROWS_WITH(validate_ifname("abcdefghijklmnop"), Catch::Contains("longer than 15"));
  CHECK_THROWS(validate_ifname(".."));
  CHECK_THROWS(validate_ifname("a/b"));
  CHECK_THROWS(validate_ifname("a:b"));
  CHECK_THROWS(validate_ifname("a b"));
  CHECK_THROWS(validate_ifname(""));
  try {
    validate_key({"net/x", "c1", "eth0"});
    FAIL("accepted a network name with '/'");
  } catch (const Error& e) {
    CHECK(e.code() == Code::InvalidArgument);
    CHECK_THAT(e.what(), Catch::StartsWith("network name:"));
  }
}

TEST_CASE("host veth names are deterministic, distinct and fit IFNAMSIZ") {
  AttachmentKey a{"nsnet", "web1", "eth0"};
  auto name = host_veth_name(a);
  CHECK(name == host_veth_name(AttachmentKey{"nsnet", "web1", "eth0"}));
  CHECK(name.size() == 15);
  CHECK(name.rfind("nsv", 0) == 0);
  CHECK_NOTHROW(validate_ifname(name));
  CHECK(name != host_veth_name({"nsnet", "web2", "eth0"}));
  CHECK(name != host_veth_name({"nsnet", "web1", "eth1"}));
  CHECK(name != host_veth_name({"other", "web1", "eth0"}));
  // The parts are separated: moving a character between them changes the name.
  CHECK(host_veth_name({"ab", "c", "eth0"}) != host_veth_name({"a", "bc", "eth0"}));
}
