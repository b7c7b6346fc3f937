// The CNI protocol pieces: env, CNI_ARGS, versions.
#include <catch2/catch.hpp>

#include <map>

#include "netlib/error.hpp"
#include "plugin/cni_args.hpp"
#include "plugin/env.hpp"
#include "plugin/version.hpp"

using namespace nsnet;
using namespace nsnet::cni;

namespace {

Getenv from(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

std::map<std::string, std::string> add_env() {
  return {{"CNI_COMMAND", "ADD"}, {"CNI_CONTAINERID", "c1"}, {"CNI_NETNS", "/run/netns/x"},
          {"CNI_IFNAME", "eth0"}, {"CNI_PATH", "/usr/lib/cni"}};
}

Error env_error(std::map<std::string, std::string> vars) {
  try {
    read_env(from(vars));
  } catch (const Error& e) {
    return e;
  }
  FAIL("accepted");
  return Error(Code::Internal, "");
}

}  // namespace

TEST_CASE("env: a complete ADD environment is read") {
  Env env = read_env(from(add_env()));
  CHECK(env.command == "ADD");
  CHECK(env.container_id == "c1");
  CHECK(env.netns == "/run/netns/x");
  CHECK(env.ifname == "eth0");
  CHECK(env.path == "/usr/lib/cni");
}

TEST_CASE("env: missing variables are named, all at once, with code 4") {
  auto vars = add_env();
  vars.erase("CNI_NETNS");
  vars.erase("CNI_IFNAME");
  Error e = env_error(vars);
  CHECK(e.code() == Code::InvalidEnv);
  CHECK_THAT(e.what(), Catch::Contains("CNI_NETNS") && Catch::Contains("CNI_IFNAME"));
  CHECK_THAT(env_error({}).what(), Catch::Contains("CNI_COMMAND"));
  CHECK_THAT(env_error({{"CNI_COMMAND", "FROB"}}).what(), Catch::Contains("'FROB'"));
}

TEST_CASE("env: each command needs only what the spec requires") {
  CHECK_NOTHROW(read_env(from({{"CNI_COMMAND", "VERSION"}})));
  CHECK_NOTHROW(read_env(from({{"CNI_COMMAND", "STATUS"}})));
  CHECK_NOTHROW(read_env(from({{"CNI_COMMAND", "DEL"}, {"CNI_CONTAINERID", "c"}, {"CNI_IFNAME", "eth0"}})));
  CHECK_THAT(env_error({{"CNI_COMMAND", "GC"}}).what(), Catch::Contains("CNI_PATH"));
  auto check = add_env();
  check["CNI_COMMAND"] = "CHECK";
  check.erase("CNI_PATH");
  CHECK_THAT(env_error(check).what(), Catch::Contains("CNI_PATH"));
}

TEST_CASE("env: malformed container id and ifname are refused naming them") {
  auto vars = add_env();
  vars["CNI_CONTAINERID"] = "../etc";
  CHECK_THAT(env_error(vars).what(), Catch::Contains("CNI_CONTAINERID"));
  vars = add_env();
  vars["CNI_IFNAME"] = "eth0/../x";
  CHECK_THAT(env_error(vars).what(), Catch::Contains("CNI_IFNAME"));
}

TEST_CASE("CNI_ARGS: IP and MAC, unknown keys and IgnoreUnknown") {
  auto args = parse_cni_args("IP=10.0.0.5,10.0.0.6;MAC=02:00:00:00:00:01");
  CHECK(args.ips == std::vector<std::string>{"10.0.0.5", "10.0.0.6"});
  CHECK(args.mac == "02:00:00:00:00:01");
  CHECK(parse_cni_args("").ips.empty());
  try {
    parse_cni_args("K8S_POD_NAME=web");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == Code::UnsupportedField);
    CHECK_THAT(e.what(), Catch::Contains("K8S_POD_NAME") && Catch::Contains("web"));
  }
  CHECK(parse_cni_args("IgnoreUnknown=1;K8S_POD_NAME=web;IP=10.0.0.7").ips ==
        std::vector<std::string>{"10.0.0.7"});
  CHECK(parse_cni_args("K8S_POD_NAME=web;IgnoreUnknown=true").ips.empty());
  CHECK_THROWS_WITH(parse_cni_args("IgnoreUnknown=1;junk"), Catch::Contains("'junk'"));
}

TEST_CASE("versions") {
  for (auto v : {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"}) CHECK(is_supported_version(v));
  CHECK_FALSE(is_supported_version("0.2.0"));
  CHECK_FALSE(is_supported_version("2.0.0"));
  CHECK(compare_versions("0.4.0", "1.0.0") < 0);
  CHECK(compare_versions("1.1.0", "1.0.0") > 0);
  CHECK(compare_versions("0.3.1", "0.3.1") == 0);
  CHECK(compare_versions("0.10.0", "0.9.0") > 0);
  try {
    require_supported_version("0.2.0");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == Code::IncompatibleVersion);
  }
  CHECK_THROWS_AS(require_command_in_version("CHECK", "0.3.1"), Error);
  CHECK_NOTHROW(require_command_in_version("CHECK", "0.4.0"));
  CHECK_THROWS_AS(require_command_in_version("GC", "1.0.0"), Error);
  CHECK_THROWS_AS(require_command_in_version("STATUS", "1.0.0"), Error);
  CHECK_NOTHROW(require_command_in_version("STATUS", "1.1.0"));
  CHECK_NOTHROW(require_command_in_version("ADD", "0.3.0"));
  auto info = version_info("0.4.0");
  CHECK(info["cniVersion"] == "0.4.0");
  CHECK(info["supportedVersions"] == nlohmann::json({"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"}));
  CHECK(version_info("")["cniVersion"] == "1.1.0");
}
