// nsnet create NAME [ADDR/PREFIX] [--network NET] [--bridge BR] [--gateway GW] [--mtu N]
//              [-p SPEC]... [--host-ip ADDR]
#include <filesystem>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/named.hpp"
#include "cli/named_journal.hpp"
#include "cli/ports.hpp"
#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/fault.hpp"
#include "netlib/local_ipam.hpp"
#include "netlib/names.hpp"
#include "netlib/netns.hpp"
#include "netlib/network_store.hpp"
#include "netlib/undo.hpp"

namespace nsnet::cli {
namespace {

constexpr const char* kHelp = R"(Usage: nsnet create NAME [ADDR/PREFIX] [OPTIONS]

Makes the named network namespace NAME (as `ip netns add NAME` does) and
connects it to a network: a veth pair with eth0 inside, lo and eth0 up, the
address on eth0, the gateway address on the network's bridge, a default route
via the gateway, forwarding on. If NAME already exists as a namespace made by
`ip netns add` and is not attached yet, it is attached as it is.

Without ADDR/PREFIX, eth0 gets the next free address of the network.

Options:
  --network NET   the network to join, made with `nsnet network create`
                  (default: nsnet, the built-in network: bridge nsnet0,
                  10.0.0.0/24, gateway 10.0.0.1)
  --bridge BR     use bridge BR instead of the network's (made if missing)
  --gateway GW    use gateway address GW instead of the network's
  --mtu N         MTU of the veth pair (default: that of the host's
                  default-route interface)
  -p, --publish [HOSTIP:]HOSTPORT:PORT[/tcp|udp|sctp]
                  publish PORT of the namespace on HOSTPORT of the host's
                  addresses (or of HOSTIP only); repeatable; equal ranges
                  allowed (8000-8010:8000-8010/udp). Reachable from outside
                  (client address preserved), from the host (its addresses
                  and 127.0.0.1) and from other namespaces (hairpin).
  --host-ip ADDR  the namespace's own host address: its outgoing traffic is
                  SNATed to ADDR instead of masqueraded, and -p publishes on
                  ADDR unless a spec names another. ADDR must be on the host.

Refuses, changing nothing: an existing name, an address in use (naming its
owner), an address outside the network's subnet, a subnet that collides with
a host route on another interface, an invalid name or CIDR, a host port that
another namespace publishes or a host process listens on (naming it), a
--host-ip that is not on the host. A create that is killed half-way is
rolled back by the next `nsnet create NAME` or `nsnet delete NAME`.

Examples:
  nsnet create web1 10.0.0.2/24
  nsnet create web2
  nsnet create db1 --bridge br-db --gateway 10.0.0.254
  nsnet create mx1 10.0.0.10/24 -p 2525:25
  nsnet create mx2 10.0.0.11/24 --host-ip 198.51.100.11 -p 25:25 -p 587:587
)";

void apply_overrides(const ParsedArgs& p, Network& network) {
  if (auto bridge = p.value("--bridge")) {
    with_context("--bridge", [&] { validate_ifname(*bridge); });
    network.bridge = *bridge;
  }
  if (auto gw = p.value("--gateway")) {
    auto ip = with_context("--gateway", [&] { return IpAddress::parse(*gw); });
    bool placed = false;
    for (auto& set : network.ipam.ranges)
      for (auto& range : set)
        if (range.subnet.contains(ip)) range.gateway = ip, placed = true;
    if (!placed)
      fail(Code::InvalidArgument, "--gateway {} is outside the subnets of network {}", *gw,
           network.name);
  }
  if (auto mtu = p.value("--mtu")) network.mtu = parse_int("--mtu", *mtu);
}

void print_result(const std::string& name, const Network& network, const AttachResult& r) {
  for (const auto& ip : r.ips)
    fmt::print("{}: {} on {}{} (network {}, bridge {})\n", name, ip.address.str(), kNamedIfname,
               ip.gateway ? ", gateway " + ip.gateway->str() : std::string(), network.name,
               network.bridge);
}

}  // namespace

int run_create(Args args) {
  auto p = parse_args("create", args,
                      {"--network", "--bridge", "--gateway", "--mtu", "-p", "--publish", "--host-ip"});
  if (p.help) return fmt::print("{}", kHelp), 0;
  if (p.positional.empty() || p.positional.size() > 2)
    fail(Code::InvalidArgument, "usage: nsnet create NAME [ADDR/PREFIX] [OPTIONS]; see 'nsnet create --help'");
  const auto& name = p.positional[0];
  validate_netns_name(name);
  auto network = load_network(p.value("--network").value_or("nsnet"));
  apply_overrides(p, network);

  AttachRequest request;
  request.key = {network.name, name, kNamedIfname};
  request.origin = Origin::NsnetCreate;
  request.netns_path = named_netns_path(name).string();
  request.network = network;
  if (p.positional.size() == 2) request.requested_ips.push_back(Cidr::parse(p.positional[1]));
  auto specs = p.all("-p");
  for (const auto& s : p.all("--publish")) specs.push_back(s);
  request.port_mappings = parse_port_specs(specs);
  if (auto ip = p.value("--host-ip"))
    request.host_ip = with_context("--host-ip", [&] { return IpAddress::parse(*ip); });
  refuse_host_listeners(request.port_mappings, request.host_ip);

  NamedJournal journal(name);
  journal.roll_back_interrupted();
  // A namespace that `ip netns add` made is attached as it is; one that is
  // attached already is someone's: leave it alone.
  bool made_netns = !std::filesystem::exists(request.netns_path);
  if (!made_netns) {
    open_netns(request.netns_path);  // refuses a stale entry
    if (auto record = find_named_record(name))
      fail(Code::Conflict, "network namespace '{}' already exists (on network {}); pick another "
           "name or remove it with `nsnet delete {}`", name, record->key.network, name);
  }
  UndoStack undo;
  journal.begin({network.name, made_netns});
  undo.push("end the journal of " + name, [&] { journal.end(); });
  fault_point("create-journal");
  if (made_netns) {
    create_named_netns(name);
    undo.push("delete netns " + name, [&] { delete_named_netns(name); });
  }
  fault_point("create-netns");
  LocalIpam ipam;
  auto result = attach(request, ipam);
  fault_point("create-attach");
  undo.commit();
  journal.end();
  print_result(name, network, result);
  return 0;
}

}  // namespace nsnet::cli
