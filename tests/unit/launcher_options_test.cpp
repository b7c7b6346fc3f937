#include <catch2/catch.hpp>

#include "launcher/capabilities.hpp"
#include "launcher/options.hpp"
#include "launcher/process_spec.hpp"
#include "netlib/error.hpp"

using namespace nsnet;
using namespace nsnet::launcher;

namespace {
RunOptions parse(std::vector<std::string> args) {
  auto o = parse_run_options(args);
  REQUIRE(o);
  return *o;
}
}  // namespace

TEST_CASE("run options: NAME, flags and the command after --") {
  auto o = parse({"mail1", "--rootfs", "/srv/root", "--hostname=mx", "--memory", "64M", "--cpus",
                  "0.5", "--pids", "64", "-e", "A=1", "--user", "1000:1001", "-d", "--", "/bin/sh",
                  "-c", "echo --memory"});
  CHECK(o.netns == "mail1");
  CHECK(o.name == "mail1");
  CHECK(*o.rootfs == "/srv/root");
  CHECK(o.hostname == "mx");
  CHECK(*o.limits.memory_bytes == 64ULL << 20);
  CHECK(*o.limits.cpus == 0.5);
  CHECK(*o.limits.pids == 64);
  CHECK(o.env == std::vector<std::string>{"A=1"});
  CHECK(*o.uid == 1000);
  CHECK(*o.gid == 1001);
  CHECK(o.detach);
  CHECK(o.command == std::vector<std::string>{"/bin/sh", "-c", "echo --memory"});
}

TEST_CASE("run options: defaults and --net none") {
  auto o = parse({"box", "--net", "none", "true"});
  CHECK(o.new_net);
  CHECK(o.netns.empty());
  CHECK(o.name == "box");
  CHECK(o.hostname == "box");
  CHECK(o.workdir == "/");
  CHECK_FALSE(o.limits.any());
  CHECK(o.command == std::vector<std::string>{"true"});
  CHECK(*parse({"x", "--user", "7", "--", "id"}).gid == 7);
}

TEST_CASE("run options: bad input is refused with the value named") {
  using V = std::vector<std::string>;
  CHECK_THROWS_WITH(parse_run_options(V{"--", "sh"}), Catch::Contains("needs a NAME"));
  CHECK_THROWS_WITH(parse_run_options(V{"n"}), Catch::Contains("needs a command"));
  CHECK_THROWS_WITH(parse_run_options(V{"n", "--bogus", "--", "sh"}), Catch::Contains("'--bogus'"));
  CHECK_THROWS_WITH(parse_run_options(V{"n", "--net", "host", "--", "sh"}), Catch::Contains("'host'"));
  CHECK_THROWS_WITH(parse_run_options(V{"n", "--chroot", "--", "sh"}), Catch::Contains("--rootfs"));
  CHECK_THROWS_WITH(parse_run_options(V{"../x", "--", "sh"}), Catch::Contains("'../x'"));
  CHECK_THROWS_WITH(parse_run_options(V{"n", "--workdir", "tmp", "--", "sh"}),
                    Catch::Contains("absolute"));
  CHECK_THROWS_WITH(parse_run_options(V{"n", "--pids"}), Catch::Contains("needs a value"));
}

TEST_CASE("sizes, cpus and binds parse") {
  CHECK(parse_size("64M") == 64ULL << 20);
  CHECK(parse_size("512k") == 512ULL << 10);
  CHECK(parse_size("2G") == 2ULL << 30);
  CHECK(parse_size("4096") == 4096);
  CHECK_THROWS_WITH(parse_size("0"), Catch::Contains("'0'"));
  CHECK_THROWS_WITH(parse_size("64X"), Catch::Contains("'64X'"));
  CHECK_THROWS(parse_size("99999999999999999999G"));
  CHECK(parse_cpus("0.5") == 0.5);
  CHECK_THROWS_WITH(parse_cpus("-1"), Catch::Contains("'-1'"));
  CHECK_THROWS(parse_cpus("half"));
  auto b = parse_bind("/srv/data:/data", true);
  CHECK(b.source == "/srv/data");
  CHECK(b.target == "/data");
  CHECK(b.read_only);
  CHECK(parse_bind("/etc/x", false).target == "/etc/x");
  CHECK_THROWS_WITH(parse_bind("/a:rel", false), Catch::Contains("absolute"));
}

TEST_CASE("capabilities: Docker's default set, adjusted by name") {
  CapMask def = default_capabilities();
  CHECK(def == 0xa80425fbULL);  // what /proc/self/status shows in a Docker container
  CHECK(capability_names(def).find("NET_BIND_SERVICE") != std::string::npos);
  CHECK(capability_names(def).find("SYS_ADMIN") == std::string::npos);
  CHECK(adjust_capabilities(def, {"net_admin"}, {}) == (def | (1ULL << 12)));
  CHECK(adjust_capabilities(def, {}, {"CAP_CHOWN"}) == (def & ~1ULL));
  CHECK(adjust_capabilities(def, {}, {"ALL"}) == 0);
  CHECK_THROWS_WITH(adjust_capabilities(def, {"FLY"}, {}), Catch::Contains("'FLY'"));
}

TEST_CASE("process spec: environment and PATH search come from the container") {
  auto o = parse({"n", "-e", "PATH=/opt/bin:/bin", "-e", "X=1", "--", "prog", "arg"});
  auto spec = make_process_spec(o, RootPlan{});
  REQUIRE(spec.argv.size() == 3);
  CHECK(std::string(spec.argv[0]) == "prog");
  CHECK(spec.argv[2] == nullptr);
  CHECK(spec.search_dirs == std::vector<std::string>{"/opt/bin", "/bin"});
  CHECK(std::find(spec.env.begin(), spec.env.end(), "HOSTNAME=n") != spec.env.end());
  CHECK(std::count_if(spec.env.begin(), spec.env.end(),
                      [](const std::string& e) { return e.starts_with("PATH="); }) == 1);
  CHECK(spec.envp.back() == nullptr);
}
