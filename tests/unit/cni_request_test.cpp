#include <catch2/catch.hpp>

#include "netlib/error.hpp"
#include "plugin/request.hpp"

using namespace nsnet;
using namespace nsnet::cni;
using nlohmann::json;

namespace {

Env request_env(std::string args = "") {
  return {"ADD", "c1", "/run/netns/c1", "eth0", std::move(args), "/usr/lib/cni"};
}

json config(const char* version = "1.1.0") {
  json c = json::parse(R"({"name": "mail", "type": "nsnet",
      "ipam": {"type": "nsnet", "ranges": [[{"subnet": "10.10.0.0/24"}], [{"subnet": "fd10::/64"}]]}})");
  c["cniVersion"] = version;
  return c;
}

Code code_of(Env env, json c) {
  try {
    make_request(std::move(env), std::move(c));
  } catch (const Error& e) {
    return e.code();
  }
  return Code::Internal;
}

}  // namespace

TEST_CASE("stdin that is not a JSON object is code 6") {
  for (auto text : {"", "{", "nope", "[1]"}) {
    try {
      parse_config_text(text);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == Code::Decode);
    }
  }
  CHECK(parse_config_text(R"({"a": 1})")["a"] == 1);
  // Deep nesting would overflow the stack where json is copied or printed.
  std::string deep = R"({"dns": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK_THROWS_WITH(parse_config_text(deep), Catch::Contains("nested deeper"));
}

TEST_CASE("a request carries the key and the network") {
  Request r = make_request(request_env(), config());
  CHECK(r.cni_version == "1.1.0");
  CHECK(r.key() == AttachmentKey{"mail", "c1", "eth0"});
  CHECK(r.network.ipam.ranges.size() == 2);
  CHECK_FALSE(r.prev_result);
  CHECK(r.requested_ips.empty());
}

TEST_CASE("versions: unsupported is code 1, and so are commands newer than the config") {
  CHECK(code_of(request_env(), config("0.2.0")) == Code::IncompatibleVersion);
  CHECK(code_of(request_env(), config("9.9.9")) == Code::IncompatibleVersion);
  Env check = request_env();
  check.command = "CHECK";
  CHECK(code_of(check, config("0.3.1")) == Code::IncompatibleVersion);
  Env gc = request_env();
  gc.command = "GC";
  CHECK(code_of(gc, config("1.0.0")) == Code::IncompatibleVersion);
  json c = config();
  c.erase("cniVersion");
  CHECK(code_of(request_env(), c) == Code::InvalidConfig);
}

TEST_CASE("static addresses from CNI_ARGS, args.cni and runtimeConfig, deduplicated") {
  json c = config();
  c["args"]["cni"]["ips"] = {"fd10::9"};
  c["runtimeConfig"]["ips"] = {"10.10.0.8/24", "10.10.0.7"};
  Request r = make_request(request_env("IgnoreUnknown=1;IP=10.10.0.7;K8S_POD_NAME=x"), c);
  REQUIRE(r.requested_ips.size() == 3);
  CHECK(r.requested_ips[0].str() == "10.10.0.7/24");  // bare: the subnet's prefix
  CHECK(r.requested_ips[1].str() == "fd10::9/64");
  CHECK(r.requested_ips[2].str() == "10.10.0.8/24");
}

TEST_CASE("a static address outside the network is code 7 naming where it came from") {
  json c = config();
  c["runtimeConfig"]["ips"] = {"192.0.2.1"};
  try {
    make_request(request_env(), c);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == Code::InvalidConfig);
    CHECK_THAT(e.what(), Catch::Contains("runtimeConfig.ips") && Catch::Contains("192.0.2.1"));
  }
  CHECK(code_of(request_env("IP=10.10.0.5;FOO=bar"), config()) == Code::UnsupportedField);
}

TEST_CASE("MAC from the mac capability wins over CNI_ARGS; bad ones are code 7") {
  json c = config();
  c["runtimeConfig"]["mac"] = "02:00:00:00:00:aa";
  CHECK(make_request(request_env("MAC=02:00:00:00:00:bb"), c).mac == "02:00:00:00:00:aa");
  CHECK(make_request(request_env("MAC=02:00:00:00:00:bb"), config()).mac == "02:00:00:00:00:bb");
  c["runtimeConfig"]["mac"] = "02:00:00:00:00";
  CHECK(code_of(request_env(), c) == Code::InvalidConfig);
  // CNI_ARGS bytes that are not UTF-8 (found by fuzzing).
  CHECK(code_of(request_env("MAC=\xff\xfe"), config()) == Code::InvalidConfig);
}

TEST_CASE("DEL does not judge the address requests it does not use") {
  Env del = request_env("FOO=bar");
  del.command = "DEL";
  CHECK_NOTHROW(make_request(del, config()));
}

TEST_CASE("prevResult is validated and converted to the config's version") {
  json c = config("1.0.0");
  c["prevResult"] = json::parse(R"({"cniVersion": "0.4.0", "interfaces": [{"name": "eth0", "sandbox": "/x"}],
      "ips": [{"version": "4", "address": "10.10.0.2/24", "interface": 0}]})");
  Request r = make_request(request_env(), c);
  REQUIRE(r.prev_result);
  CHECK((*r.prev_result)["cniVersion"] == "1.0.0");
  CHECK_FALSE((*r.prev_result)["ips"][0].contains("version"));
  c["prevResult"]["ips"][0]["address"] = "bad";
  CHECK(code_of(request_env(), c) == Code::InvalidConfig);
  c["prevResult"] = json::parse(R"({"cniVersion": "0.2.0", "ip4": {"ip": "10.10.0.2/24"}})");
  CHECK(code_of(request_env(), c) == Code::IncompatibleVersion);
}
