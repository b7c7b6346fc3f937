#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "netlib/error.hpp"
#include "netlib/network_config.hpp"
#include "netlib/network_store.hpp"
#include "netlib/record.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace nsnet;
namespace fs = std::filesystem;

namespace {

// A private conf dir (and state dir in it) for one test, removed afterwards.
struct TempConfDir : test::TempDir {
  TempConfDir() : TempDir(test::EnvPaths{{"NSNET_CNI_CONF_DIR", ""}, {"NSNET_STATE_DIR", "state"}}) {}
};

Network make(const std::string& name, const std::string& subnet, const std::string& bridge) {
  Network n;
  n.name = name;
  n.bridge = bridge;
  n.ipam.ranges = {{IpRange{Cidr::parse(subnet), {}, {}, {}}}};
  return n;
}

}  // namespace

TEST_CASE("networks are saved as conflists and loaded by name") {
  TempConfDir conf;
  auto file = save_network(make("mail", "10.10.0.0/24", "nsnet1"));
  CHECK(file == conf.dir / "mail.conflist");
  Network n = load_network("mail");
  CHECK(n.name == "mail");
  CHECK(n.bridge == "nsnet1");
  CHECK(n.ipam.ranges[0][0].subnet.str() == "10.10.0.0/24");
  CHECK(read_network_configs(conf.dir).size() == 1);
  remove_network("mail");
  CHECK(read_network_configs(conf.dir).empty());
  CHECK_THROWS_WITH(load_network("mail"), Catch::Contains("nsnet network create mail"));
  CHECK_THROWS_AS(remove_network("mail"), Error);
}

TEST_CASE("a network with attachments is not removed") {
  TempConfDir conf;
  save_network(make("mail", "10.10.0.0/24", "nsnet1"));
  AttachmentRecord record;
  record.key = {"mail", "c1", "eth0"};
  save_record(record);
  CHECK_THROWS_WITH(remove_network("mail"), Catch::Contains("still has attachments"));
  remove_record(record.key);
  CHECK_NOTHROW(remove_network("mail"));
}

TEST_CASE("the built-in network loads without a file") {
  TempConfDir conf;
  CHECK(load_network("nsnet").bridge == "nsnet0");
}

TEST_CASE("conflicts are refused naming the other network") {
  TempConfDir conf;
  save_network(make("mail", "10.10.0.0/24", "nsnet1"));
  CHECK_THROWS_WITH(save_network(make("mail", "10.20.0.0/24", "nsnet2")), Catch::Contains("already exists"));
  CHECK_THROWS_WITH(save_network(make("web", "10.10.0.128/25", "nsnet2")),
                    Catch::Contains("overlaps") && Catch::Contains("'mail'"));
  CHECK_THROWS_WITH(save_network(make("web", "10.20.0.0/24", "nsnet1")),
                    Catch::Contains("bridge nsnet1") && Catch::Contains("'mail'"));
  CHECK_THROWS_WITH(save_network(make("web", "10.0.0.0/16", "nsnet2")),
                    Catch::Contains("'nsnet'") && Catch::Contains("built in"));
  // Someone else's network (Podman's default, say) counts too.
  std::ofstream(conf.dir / "87-podman.conflist") << R"({"cniVersion": "0.4.0", "name": "podman",
      "plugins": [{"type": "bridge", "bridge": "cni-podman0",
                   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.0.0/16"}]]}}]})";
  CHECK_THROWS_WITH(save_network(make("web", "10.88.1.0/24", "nsnet2")), Catch::Contains("'podman'"));
  CHECK_NOTHROW(save_network(make("web", "10.20.0.0/24", "nsnet2")));
  CHECK_THROWS_WITH(load_network("podman"), Catch::Contains("no plugin of type nsnet"));
}
