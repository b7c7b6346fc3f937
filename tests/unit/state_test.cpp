#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "netlib/error.hpp"
#include "netlib/local_ipam.hpp"
#include "netlib/record.hpp"
#include "netlib/state.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace nsnet;
namespace fs = std::filesystem;

namespace {

using test::TempStateDir;

AttachRequest request(const std::string& id, const Network& net = Network::default_network()) {
  AttachRequest r;
  r.key = {net.name, id, "eth0"};
  r.network = net;
  return r;
}

}  // namespace

TEST_CASE("path components are escaped reversibly and cannot escape") {
  CHECK(escape_component("web1") == "web1");
  CHECK(escape_component("a/b") == "a%2Fb");
  CHECK(escape_component("..") == "%2E.");
  CHECK(escape_component("a b+c") == "a%20b%2Bc");
  for (std::string s : {"web1", "a/b", "..", ".x", "a b+c%", "é"})
    CHECK(unescape_component(escape_component(s)) == s);
}

TEST_CASE("attachment records round-trip through the state directory") {
  TempStateDir tmp;
  AttachmentRecord r;
  r.key = {"nsnet", "web/1", "eth0"};
  r.netns_path = "/run/netns/web1";
  r.host_veth = "nsv0123456789ab";
  r.bridge = "nsnet0";
  r.container_mac = "aa:bb:cc:dd:ee:ff";
  r.ips = {{Cidr::parse("10.0.0.2/24"), IpAddress::parse("10.0.0.1"), 2},
           {Cidr::parse("fd00::2/64"), std::nullopt, 2}};
  r.routes = {{Cidr::parse("0.0.0.0/0"), IpAddress::parse("10.0.0.1")}};
  r.port_mappings = {{8080, 80, "tcp", IpAddress::parse("203.0.113.5")}, {53, 53, "udp", std::nullopt}};
  r.host_ip = IpAddress::parse("203.0.113.5");
  {
    auto lock = lock_network("nsnet");
    save_record(r);
  }
  auto back = load_record(r.key);
  REQUIRE(back);
  CHECK(back->to_json() == r.to_json());
  CHECK(back->key == r.key);
  CHECK(back->ips[0].gateway == r.ips[0].gateway);
  CHECK(back->port_mappings[0].host_ip == r.port_mappings[0].host_ip);
  CHECK(list_records("nsnet").size() == 1);
  CHECK_FALSE(network_is_empty("nsnet"));
  CHECK(remove_record(r.key));
  CHECK_FALSE(remove_record(r.key));
  CHECK_FALSE(load_record(r.key));
  CHECK(network_is_empty("nsnet"));
}

TEST_CASE("a record says who made the attachment and older records get the old guess") {
  AttachmentRecord r;
  r.key = {"nsnet", "web1", "eth0"};
  r.netns_path = "/run/netns/web1";  // what `nsnet create web1` makes, and a runtime may too
  r.host_veth = "nsv0123456789ab";
  r.bridge = "nsnet0";
  CHECK(AttachmentRecord::from_json(r.to_json()).origin == Origin::Cni);
  r.origin = Origin::NsnetCreate;
  auto j = r.to_json();
  CHECK(j["origin"] == "nsnet create");
  CHECK(AttachmentRecord::from_json(j).origin == Origin::NsnetCreate);

  // Written before "origin": `nsnet create NAME` is netns /run/netns/NAME, id NAME.
  j.erase("origin");
  CHECK(AttachmentRecord::from_json(j).origin == Origin::NsnetCreate);
  j["netns"] = "/proc/4242/ns/net";
  CHECK(AttachmentRecord::from_json(j).origin == Origin::Cni);

  j["origin"] = "someone";
  CHECK_THROWS_WITH(AttachmentRecord::from_json(j), Catch::Contains("origin"));
}

TEST_CASE("a corrupt record is reported with its path") {
  TempStateDir tmp;
  write_file_atomic(network_dir("nsnet") / "attachments" / "x+eth0.json", "{not json");
  CHECK_THROWS_WITH(load_record({"nsnet", "x", "eth0"}), Catch::Contains("x+eth0.json"));
}

TEST_CASE("temp files of dead writers are swept, those of live writers and other files kept") {
  TempStateDir tmp;
  auto net = network_dir("nsnet");
  // No process has the PID pid_max: the writer of this one is dead.
  std::ifstream max_in("/proc/sys/kernel/pid_max");
  long pid_max = 0;
  max_in >> pid_max;
  REQUIRE(pid_max > 1);
  auto dead_record = net / "attachments" / fmt::format(".x+eth0.json.tmp{}", pid_max);
  auto dead_lease = net / "leases" / "owners" / fmt::format(".x+eth0.tmp{}", pid_max);
  auto mine = net / "attachments" / fmt::format(".y+eth0.json.tmp{}", ::getpid());
  auto init = net / "attachments" / ".z+eth0.json.tmp1";  // PID 1 is always alive
  auto record = net / "attachments" / "x+eth0.json";
  auto not_temp = net / "leases" / fmt::format(".tmp{}", pid_max);
  for (const auto& path : {dead_record, dead_lease, mine, init, record, not_temp}) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "x";
  }
  CHECK(sweep_dead_temp_files(net) == 2);
  CHECK_FALSE(fs::exists(dead_record));
  CHECK_FALSE(fs::exists(dead_lease));
  for (const auto& kept : {mine, init, record, not_temp}) CHECK(fs::exists(kept));
  CHECK(sweep_dead_temp_files(net / "missing") == 0);
}

TEST_CASE("IPAM hands out addresses in order, skipping the gateway, and reuses per key") {
  TempStateDir tmp;
  LocalIpam ipam;
  auto a = ipam.allocate(request("a"));
  REQUIRE(a.size() == 1);
  CHECK(a[0].address.str() == "10.0.0.2/24");
  CHECK(a[0].gateway == IpAddress::parse("10.0.0.1"));
  CHECK(ipam.allocate(request("b"))[0].address.str() == "10.0.0.3/24");
  CHECK(ipam.allocate(request("a"))[0].address.str() == "10.0.0.2/24");  // idempotent
  auto owner = ipam.owner_of("nsnet", IpAddress::parse("10.0.0.3"));
  REQUIRE(owner);
  CHECK(owner->first == "b");
  ipam.release({"nsnet", "a", "eth0"}, Network::default_network());
  CHECK(ipam.leases_of({"nsnet", "a", "eth0"}).empty());
  // Round robin: a released address is not handed out again at once.
  CHECK(ipam.allocate(request("c"))[0].address.str() == "10.0.0.4/24");
}

TEST_CASE("IPAM honours requested addresses and names the owner on conflict") {
  TempStateDir tmp;
  LocalIpam ipam;
  auto r = request("a");
  r.requested_ips = {Cidr::parse("10.0.0.50/24")};
  CHECK(ipam.allocate(r)[0].address.str() == "10.0.0.50/24");
  auto other = request("b");
  other.requested_ips = {Cidr::parse("10.0.0.50/24")};
  CHECK_THROWS_WITH(ipam.allocate(other), Catch::Contains("10.0.0.50 is in use by container 'a'"));
  other.requested_ips = {Cidr::parse("10.9.0.50/24")};
  CHECK_THROWS_WITH(ipam.allocate(other), Catch::Contains("outside the subnets"));
  other.requested_ips = {Cidr::parse("10.0.0.1/24")};
  CHECK_THROWS_WITH(ipam.allocate(other), Catch::Contains("gateway"));
  CHECK(ipam.leases_of({"nsnet", "b", "eth0"}).empty());  // refusals took nothing
}

TEST_CASE("IPAM gives one address per range set (dual stack), within rangeStart-rangeEnd") {
  TempStateDir tmp;
  Network net;
  net.name = "dual";
  net.ipam.ranges = {
      {IpRange{Cidr::parse("fd00:1::/64"), std::nullopt, std::nullopt, std::nullopt}},
      {IpRange{Cidr::parse("10.1.0.0/24"), IpAddress::parse("10.1.0.10"), IpAddress::parse("10.1.0.11"),
               std::nullopt}}};
  LocalIpam ipam;
  auto a = ipam.allocate(request("a", net));
  REQUIRE(a.size() == 2);
  CHECK(a[0].address.str() == "fd00:1::2/64");
  CHECK(a[1].address.str() == "10.1.0.10/24");
  CHECK(a[1].gateway == IpAddress::parse("10.1.0.1"));
  CHECK(ipam.allocate(request("b", net))[1].address.str() == "10.1.0.11/24");
  CHECK_THROWS_WITH(ipam.allocate(request("c", net)), Catch::Contains("no free address"));
  CHECK(ipam.leases_of({"dual", "c", "eth0"}).empty());
  CHECK_FALSE(ipam.owner_of("dual", IpAddress::parse("fd00:1::4")));  // c's v6 lease was undone
  ipam.release({"dual", "a", "eth0"}, net);
  CHECK(ipam.allocate(request("c", net))[1].address.str() == "10.1.0.10/24");  // wraps around
}

TEST_CASE("IPAM release reads the owners file, and scans only after a killed allocate") {
  TempStateDir tmp;
  LocalIpam ipam;
  auto leases = network_dir("nsnet") / "leases";
  auto write = [](const fs::path& p, const std::string& text) { std::ofstream(p) << text; };
  ipam.allocate(request("a"));  // 10.0.0.2, and makes the directories
  AttachmentKey b{"nsnet", "b", "eth0"};

  SECTION("a killed allocate: its lease is not listed, but the file says so") {
    write(leases / "owners" / "b+eth0", "allocating\n");
    write(leases / "10.0.0.9", "b\neth0\n");
    ipam.release(b, Network::default_network());
    CHECK_FALSE(fs::exists(leases / "10.0.0.9"));
    CHECK_FALSE(fs::exists(leases / "owners" / "b+eth0"));
  }
  SECTION("a complete owners file is trusted: no scan for what it does not list") {
    write(leases / "owners" / "b+eth0", "10.0.0.8\n");
    write(leases / "10.0.0.8", "b\neth0\n");
    write(leases / "10.0.0.9", "b\neth0\n");
    ipam.release(b, Network::default_network());
    CHECK_FALSE(fs::exists(leases / "10.0.0.8"));
    CHECK(fs::exists(leases / "10.0.0.9"));
  }
  // Either way a's lease is untouched, and a finished allocate leaves no mark.
  CHECK(ipam.leases_of({"nsnet", "a", "eth0"}).size() == 1);
  CHECK(fs::exists(leases / "10.0.0.2"));
  std::ifstream owners(leases / "owners" / "a+eth0");
  std::string text((std::istreambuf_iterator<char>(owners)), std::istreambuf_iterator<char>());
  CHECK(text == "10.0.0.2\n");
}
