// check(): is everything recorded for a key still in place?
#include <algorithm>

#include "netlib/address.hpp"
#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/link.hpp"
#include "netlib/netns.hpp"
#include "netlib/record.hpp"
#include "netlib/route.hpp"

namespace nsnet {
namespace {

LinkInfo expect_link(NlSocket& sock, const std::string& name, const std::string& where) {
  auto link = find_link(sock, name);
  if (!link) fail(Code::NotFound, "link {} is missing {}", name, where);
  if (!link->up) fail(Code::Kernel, "link {} {} is down", name, where);
  return *link;
}

}  // namespace

void check(const AttachmentKey& key, const Network& network) {
  with_context(fmt::format("check {}", key.str()), [&] {
    auto lock = lock_network(key.network);
    auto record = load_record(key);
    if (!record) fail(Code::UnknownContainer, "no such attachment");
    auto netns = open_netns(record->netns_path);
    auto host = NlSocket::open();
    auto cont = NlSocket::open_in(netns.get());

    auto bridge = expect_link(host, record->bridge, "on the host");
    if (bridge.kind != "bridge") fail(Code::Kernel, "{} is no longer a bridge", record->bridge);
    if (record->bridge != network.bridge)
      fail(Code::InvalidConfig, "attached to bridge {}, but the network now says {}",
           record->bridge, network.bridge);
    auto veth = expect_link(host, record->host_veth, "on the host");
    if (veth.master != bridge.index)
      fail(Code::Kernel, "veth {} is not enslaved to bridge {}", veth.name, bridge.name);

    auto where = "in netns " + record->netns_path;
    auto peer = expect_link(cont, key.ifname, where);
    auto addrs = list_addresses(cont, peer.index);
    for (const auto& ip : record->ips) {
      bool found = std::any_of(addrs.begin(), addrs.end(),
                               [&](const AddressInfo& a) { return a.cidr == ip.address; });
      if (!found) fail(Code::Kernel, "address {} is missing on {} {}", ip.address.str(), key.ifname, where);
    }
    auto routes = list_routes(cont);
    for (const auto& want : record->routes) {
      bool found = std::any_of(routes.begin(), routes.end(), [&](const RouteInfo& r) {
        return r.route.dst == want.dst.network() && r.route.gw == want.gw && r.ifindex == peer.index;
      });
      if (!found)
        fail(Code::Kernel, "route {}{} is missing {}", want.dst.network().str(),
             want.gw ? " via " + want.gw->str() : std::string(), where);
    }
  });
}

}  // namespace nsnet
