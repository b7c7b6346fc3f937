// attach(): netns + veth + bridge + gateway + addresses + routes + forwarding,
// one transaction (DESIGN.md, "Every ADD is a transaction").
#include <set>

#include "netlib/address.hpp"
#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/fault.hpp"
#include "netlib/firewall/firewall.hpp"
#include "netlib/firewall/publishing.hpp"
#include "netlib/ipam.hpp"
#include "netlib/link.hpp"
#include "netlib/names.hpp"
#include "netlib/netns.hpp"
#include "netlib/record.hpp"
#include "netlib/route.hpp"
#include "netlib/sysctl.hpp"
#include "netlib/undo.hpp"

namespace nsnet {

std::string AttachmentKey::str() const {
  return fmt::format("{}/{}/{}", network, container_id, ifname);
}

namespace {

constexpr int kFallbackMtu = 1500;

// The MTU of the host's default-route interface (what the issue asks as default).
int default_route_mtu(NlSocket& host) {
  for (const auto& r : list_routes(host, AF_INET))
    if (r.route.dst.prefix() == 0 && r.ifindex > 0)
      if (auto link = find_link(host, r.ifindex)) return link->mtu;
  return kFallbackMtu;
}

// A subnet routed on the host through another interface would be shadowed
// (or shadow it): refuse instead of breaking either.
void check_no_route_collision(NlSocket& host, const Cidr& subnet, int bridge_index) {
  for (const auto& r : list_routes(host, subnet.address().af())) {
    if (r.route.dst.prefix() == 0 || r.ifindex == bridge_index) continue;
    if (!r.route.dst.overlaps(subnet)) continue;
    auto dev = find_link(host, r.ifindex);
    fail(Code::Conflict,
         "subnet {} collides with the host route {} dev {}; choose another subnet or remove "
         "that route", subnet.network().str(), r.route.dst.str(),
         dev ? dev->name : std::to_string(r.ifindex));
  }
}

class Attacher {
 public:
  Attacher(const AttachRequest& req, Ipam& ipam) : req_(req), ipam_(ipam) {}

  AttachResult run() {
    const auto& key = req_.key;
    netns_ = open_netns(req_.netns_path);
    auto& host = host_.emplace(NlSocket::open());
    auto& cont = cont_.emplace(NlSocket::open_in(netns_.get()));
    if (find_link(cont, key.ifname))
      fail(Code::Conflict, "interface {} already exists in netns {}", key.ifname, req_.netns_path);

    int mtu = req_.network.mtu > 0 ? req_.network.mtu : default_route_mtu(host);
    auto bridge = setup_bridge(host, mtu);
    fault_point("attach-bridge");
    record_.ips = allocate();
    fault_point("attach-allocate");
    record_.key = key;
    record_.netns_path = req_.netns_path;
    record_.bridge = bridge.name;
    record_.port_mappings = req_.port_mappings;
    record_.host_ip = req_.host_ip;
    record_.ip_masq = req_.network.ip_masq;
    record_.cluster_cidrs = req_.network.cluster_cidrs;
    record_.origin = req_.origin;
    // The firewall before the links: a commit's nft socket, closed only when
    // this attach ends, then finds the RCU grace period of the commit's
    // cleanup already over (the links took that long); and a published port
    // that someone else holds fails before any link is made.
    firewall_attach(record_, undo_, firewall_);
    fault_point("attach-firewall");
    if (req_.network.is_gateway) add_gateways(host, bridge.index);
    fault_point("attach-gateway");
    auto veth = setup_veth(host, bridge.index, mtu);
    fault_point("attach-veth");
    auto peer = setup_container(cont);
    fault_point("attach-container");
    for (const auto& ip : record_.ips) enable_forwarding(ip.address.address().family());

    record_.host_veth = veth.name;
    record_.container_mac = peer.mac;
    save_record(record_);
    fault_point("attach-record");
    undo_.commit();

    AttachResult result;
    result.interfaces = {{bridge.name, bridge.mac, ""},
                         {veth.name, veth.mac, ""},
                         {key.ifname, peer.mac, req_.netns_path}};
    result.ips = record_.ips;
    result.routes = record_.routes;
    result.dns = req_.network.dns;
    return result;
  }

 private:
  LinkInfo setup_bridge(NlSocket& host, int mtu) {
    const auto& name = req_.network.bridge;
    auto net = req_.key.network;
    // Remembered as ours before it is made: a process killed between making
    // it and remembering it would leave a bridge that no detach removes.
    bool absent = !find_link(host, name);
    if (absent) {
      remember_created_bridge(net, name);
      undo_.push("forget bridge " + name, [net, name] { forget_created_bridge(net, name); });
    }
    auto bridge = with_context("bridge " + name, [&] { return ensure_bridge(host, name, mtu); });
    fault_point("attach-bridge-made");
    if (bridge.created)
      undo_.push("delete bridge " + name, [&host, name] { delete_link(host, name); });
    else if (absent)
      forget_created_bridge(net, name);  // made meanwhile by someone else: theirs
    if (req_.network.promisc_mode) set_promisc(host, bridge.link.index);
    return bridge.link;
  }

  std::vector<ResultIp> allocate() {
    auto ips = with_context("ipam", [&] { return ipam_.allocate(req_); });
    undo_.push("release addresses", [this] { ipam_.release(req_.key, req_.network); });
    for (auto& ip : ips) ip.interface = 2;  // the container interface in the result
    return ips;
  }

  void add_gateways(NlSocket& host, int bridge_index) {
    for (const auto& ip : record_.ips) {
      if (!ip.gateway) continue;
      Cidr gw(*ip.gateway, ip.address.prefix());
      if (req_.network.force_address) replace_other_addresses(host, bridge_index, gw);
      if (!add_address(host, bridge_index, gw, /*no_dad=*/true)) continue;
      undo_.push("delete gateway " + gw.str(),
                 [&host, bridge_index, gw] { delete_address(host, bridge_index, gw); });
      // Only the first attachment adds the gateway; checking then is enough.
      check_no_route_collision(host, ip.address.network(), bridge_index);
    }
  }

  // forceAddress (the reference bridge's semantics): an address of the
  // bridge in the gateway's subnet other than the gateway (a renumbered
  // network, a stale gateway) gives way to the gateway instead of staying
  // beside it. Undone, it comes back.
  void replace_other_addresses(NlSocket& host, int bridge_index, const Cidr& gw) {
    for (const auto& a : list_addresses(host, bridge_index)) {
      if (a.cidr == gw || a.cidr.address().family() != gw.address().family() ||
          !a.cidr.overlaps(gw))
        continue;
      with_context("forceAddress", [&] { delete_address(host, bridge_index, a.cidr); });
      undo_.push("restore address " + a.cidr.str(), [&host, bridge_index, old = a.cidr] {
        add_address(host, bridge_index, old, /*no_dad=*/true);
      });
    }
  }

  LinkInfo setup_veth(NlSocket& host, int bridge_index, int mtu) {
    VethSpec spec{host_veth_name(req_.key), req_.key.ifname, netns_.get(), mtu, bridge_index,
                  req_.mac};
    // The name is ours alone (derived from the key, which we hold locked and
    // which has no record): a leftover of a crashed attach.
    delete_link(host, spec.host_name);
    create_veth(host, spec);
    undo_.push("delete veth " + spec.host_name, [&host, name = spec.host_name] {
      delete_link(host, name);
    });
    auto veth = find_link(host, spec.host_name);
    if (!veth) fail(Code::Kernel, "veth {} vanished right after its creation", spec.host_name);
    if (req_.network.hairpin_mode) set_hairpin(host, veth->index, true);
    return *veth;
  }

  LinkInfo setup_container(NlSocket& cont) {
    if (auto lo = find_link(cont, "lo"); lo && !lo->up) set_link_up(cont, lo->index);
    auto peer = find_link(cont, req_.key.ifname);
    if (!peer)
      fail(Code::Kernel, "{} did not appear in netns {}", req_.key.ifname, req_.netns_path);
    for (const auto& ip : record_.ips) add_address(cont, peer->index, ip.address, /*no_dad=*/true);
    set_link_up(cont, peer->index);
    for (const auto& route : container_routes())
      with_context("in netns " + req_.netns_path, [&] { add_route(cont, peer->index, route); });
    return *peer;
  }

  // The default route via each family's gateway, then the network's routes
  // (a route without gateway goes via the gateway of its family).
  std::vector<Route>& container_routes() {
    auto gateway_for = [&](const IpAddress& like) -> std::optional<IpAddress> {
      for (const auto& ip : record_.ips)
        if (ip.gateway && ip.gateway->family() == like.family()) return ip.gateway;
      return std::nullopt;
    };
    std::set<IpAddress::Family> families;
    if (req_.network.is_default_gateway) {
      for (const auto& ip : record_.ips)
        if (ip.gateway && families.insert(ip.gateway->family()).second)
          record_.routes.push_back({default_destination(*ip.gateway), ip.gateway});
    }
    for (const auto& r : req_.network.ipam.routes) {
      bool is_default = r.dst.prefix() == 0;
      if (is_default && families.contains(r.dst.address().family())) continue;
      record_.routes.push_back({r.dst, r.gw ? r.gw : gateway_for(r.dst.address())});
    }
    return record_.routes;
  }

  const AttachRequest& req_;
  Ipam& ipam_;
  UniqueFd netns_;
  std::optional<NlSocket> host_, cont_;
  AttachmentRecord record_;
  Firewall firewall_;  // its nft socket closes after the attach (see run())
  UndoStack undo_;  // last member: undoes before the sockets it uses close
};

}  // namespace

AttachResult attach(const AttachRequest& request, Ipam& ipam) {
  return with_context(fmt::format("attach {}", request.key.str()), [&] {
    validate_key(request.key);
    auto lock = lock_network(request.key.network);
    if (auto existing = load_record(request.key))
      fail(Code::Conflict, "already attached (netns {}); detach it first", existing->netns_path);
    return Attacher(request, ipam).run();
  });
}

}  // namespace nsnet
