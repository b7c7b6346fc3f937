#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <filesystem>

#include "netlib/error.hpp"
#include "netlib/network_config.hpp"
#include "netlib/pod_cidr.hpp"

using namespace nsnet;

TEST_CASE("the pod subnet file: one CIDR a line, blanks ignored, bad lines named") {
  auto cidrs = parse_pod_cidrs("10.244.2.7/24\n\n  fd00:10:244:2::/64 \r\n", "f");
  REQUIRE(cidrs.size() == 2);
  CHECK(cidrs[0].str() == "10.244.2.0/24");
  CHECK(cidrs[1].str() == "fd00:10:244:2::/64");
  CHECK(parse_pod_cidrs("", "f").empty());
  CHECK_THROWS_WITH(parse_pod_cidrs("10.244.2.0/24\nnope\n", "/run/nsnet/podcidr"),
                    Catch::Contains("/run/nsnet/podcidr, line 2") && Catch::Contains("nope"));
}

TEST_CASE("usePodCidr and usePodCidrIPv6 resolve from the file by family") {
  CHECK(is_pod_cidr_keyword("usePodCidr"));
  CHECK(is_pod_cidr_keyword("usePodCidrIPv6"));
  CHECK_FALSE(is_pod_cidr_keyword("10.0.0.0/24"));

  auto path = std::filesystem::temp_directory_path() / ("nsnet-pod-cidr-test-" + std::to_string(::getpid()));
  std::ofstream(path) << "fd00:10:244:2::/64\n10.244.2.0/24\n";
  CHECK(resolve_pod_cidr("usePodCidr", path).str() == "10.244.2.0/24");
  CHECK(resolve_pod_cidr("usePodCidrIPv6", path).str() == "fd00:10:244:2::/64");
  std::ofstream(path) << "10.244.2.0/24\n";
  CHECK_THROWS_WITH(resolve_pod_cidr("usePodCidrIPv6", path), Catch::Contains("no IPv6"));
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(resolve_pod_cidr("usePodCidr", path),
                    Catch::Contains(path.string()) && Catch::Contains("installer"));
}

TEST_CASE("a network config with usePodCidr gets the subnets of <state dir>/podcidr") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("nsnet-pod-cidr-state-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const char* saved = std::getenv("NSNET_STATE_DIR");
  std::string saved_value = saved ? saved : "";
  ::setenv("NSNET_STATE_DIR", dir.c_str(), 1);
  CHECK(pod_cidr_file() == dir / "podcidr");

  auto config = nlohmann::json::parse(R"({
    "cniVersion": "1.0.0", "name": "k8s", "type": "nsnet",
    "ipam": {"type": "nsnet", "ranges": [[{"subnet": "usePodCidr"}], [{"subnet": "usePodCidrIPv6"}]]}
  })");
  CHECK_THROWS_WITH(network_from_json(config),
                    Catch::Contains("ipam.ranges[0][0].subnet") && Catch::Contains("podcidr"));
  std::ofstream(dir / "podcidr") << "10.244.3.0/24\nfd00:10:244:3::/64\n";
  Network n = network_from_json(config);
  REQUIRE(n.ipam.ranges.size() == 2);
  CHECK(n.ipam.ranges[0][0].subnet.str() == "10.244.3.0/24");
  CHECK(n.ipam.ranges[1][0].subnet.str() == "fd00:10:244:3::/64");

  if (saved) ::setenv("NSNET_STATE_DIR", saved_value.c_str(), 1);
  else ::unsetenv("NSNET_STATE_DIR");
  fs::remove_all(dir);
}
