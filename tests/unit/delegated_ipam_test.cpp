// Delegation to another IPAM plugin, with the reference host-local (it needs
// no netns: its leases are files in a dataDir we point at a temp dir).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "netlib/error.hpp"
#include "netlib/network_config.hpp"
#include "plugin/delegated_ipam.hpp"
#include "plugin/exec_plugin.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace nsnet;
using namespace nsnet::cni;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using test::TempDir;

// Debian's containernetworking-plugins, from scripts/setup.
constexpr const char* kReferencePlugins = "/usr/lib/cni";

}  // namespace

TEST_CASE("find_plugin searches every CNI_PATH directory and refuses paths") {
  REQUIRE(fs::exists(fs::path(kReferencePlugins) / "host-local"));  // scripts/setup installs them
  CHECK(find_plugin("host-local", "/nonexistent:/usr/lib/cni") == "/usr/lib/cni/host-local");
  CHECK_THROWS_WITH(find_plugin("no-such-plugin", "/usr/lib/cni"), Catch::Contains("'no-such-plugin'"));
  CHECK_THROWS_AS(find_plugin("../bin/sh", "/usr/lib/cni"), Error);
}

TEST_CASE("exec_plugin passes env and stdin, and turns a CNI error into Error with its code") {
  TempDir tmp;
  auto script = tmp.dir / "fake";
  std::ofstream(script) << "#!/bin/sh\n"
                           "read -r line\n"
                           "if [ \"$CNI_COMMAND\" = ADD ]; then echo \"{\\\"got\\\": $line, \\\"id\\\": \\\"$CNI_CONTAINERID\\\"}\"; exit 0; fi\n"
                           "echo '{\"cniVersion\": \"1.0.0\", \"code\": 11, \"msg\": \"busy\", \"details\": \"d\"}'\n"
                           "exit 1\n";
  fs::permissions(script, fs::perms::owner_all);
  auto out = exec_plugin(script, {{"CNI_COMMAND", "ADD"}, {"CNI_CONTAINERID", "c9"}}, "{\"x\": 1}\n");
  CHECK(out["got"]["x"] == 1);
  CHECK(out["id"] == "c9");
  try {
    exec_plugin(script, {{"CNI_COMMAND", "DEL"}}, "{}\n");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == Code::TryAgainLater);
    CHECK_THAT(e.what(), Catch::Contains("busy"));
    CHECK(e.details() == "d");
  }
}

TEST_CASE("host-local leases through DelegatedIpam, and releases") {
  REQUIRE(fs::exists(fs::path(kReferencePlugins) / "host-local"));  // scripts/setup installs them
  TempDir tmp;
  json config = {{"cniVersion", "1.0.0"}, {"name", "deleg"}, {"type", "nsnet"},
                 {"ipam", {{"type", "host-local"}, {"dataDir", tmp.dir.string()},
                           {"ranges", json::parse(R"([[{"subnet": "10.40.0.0/24"}]])")}}}};
  Network network = network_from_json(config);
  ::setenv("CNI_NETNS", "/proc/self/ns/net", 1);  // host-local asks for it, never uses it
  DelegatedIpam ipam("host-local", kReferencePlugins, config);
  AttachRequest req;
  req.key = {"deleg", "c1", "eth0"};
  req.network = network;
  auto ips = ipam.allocate(req);
  REQUIRE(ips.size() == 1);
  CHECK(ips[0].address.str() == "10.40.0.2/24");
  CHECK(ips[0].gateway->str() == "10.40.0.1");
  CHECK(fs::exists(tmp.dir / "deleg" / "10.40.0.2"));
  ipam.release(req.key, network);
  CHECK_FALSE(fs::exists(tmp.dir / "deleg" / "10.40.0.2"));
  ipam.release(req.key, network);  // DEL is idempotent
  ::unsetenv("CNI_NETNS");
}
