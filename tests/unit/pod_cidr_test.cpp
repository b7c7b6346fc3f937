#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <filesystem>

#include "netlib/error.hpp"
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
