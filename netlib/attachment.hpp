// The heart of nsnet: one attach/detach/check path, used by the CNI plugin
// (ADD/DEL/CHECK) and by `nsnet create/delete` alike (DESIGN.md).
//
// An attachment is keyed by (network, container id, ifname). Everything attach
// creates is recorded in the state directory under that key, so detach needs
// neither the netns nor the addresses, and GC can sweep what no key owns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/ip.hpp"
#include "netlib/network.hpp"

namespace nsnet {

struct AttachmentKey {
  std::string network;
  std::string container_id;
  std::string ifname;

  auto operator<=>(const AttachmentKey&) const = default;
  std::string str() const;  // "network/container_id/ifname", for messages
};

struct PortMapping {
  int host_port = 0;
  int container_port = 0;
  std::string protocol = "tcp";  // tcp, udp or sctp
  std::optional<IpAddress> host_ip;  // empty: every host address
};

// Who asked for an attachment. CNI GC sweeps only what a runtime attached:
// a runtime's list of valid attachments never names `nsnet create`'s.
enum class Origin { Cni, NsnetCreate };

struct AttachRequest {
  AttachmentKey key;
  Origin origin = Origin::Cni;
  std::string netns_path;               // e.g. /run/netns/web1 or /proc/PID/ns/net
  Network network;
  std::vector<Cidr> requested_ips;      // static addresses (CLI ADDR, CNI ips)
  std::optional<std::string> mac;       // container interface MAC
  std::vector<PortMapping> port_mappings;
  std::optional<IpAddress> host_ip;     // egress SNAT / publish address (issue 4)
};

// Mirrors the CNI result: interfaces, ips (indexing interfaces), routes, dns.
struct ResultInterface {
  std::string name;
  std::string mac;
  std::string sandbox;  // netns path for the container side, empty on the host
};

struct ResultIp {
  Cidr address;
  std::optional<IpAddress> gateway;
  int interface = -1;  // index into interfaces
};

struct AttachResult {
  std::vector<ResultInterface> interfaces;
  std::vector<ResultIp> ips;
  std::vector<Route> routes;
  nlohmann::json dns;
};

class Ipam;

// Creates the veth pair, bridge, gateway, addresses, routes and forwarding for
// request, leasing addresses from ipam, and records everything under the key.
// A transaction: on any failure every step done so far is undone and the
// Error says what failed. Fails (Conflict) if the key already exists or the
// interface name is taken in the netns.
AttachResult attach(const AttachRequest& request, Ipam& ipam);

// Removes everything recorded under key and releases its leases. Best effort
// and idempotent: succeeds when the netns or any part is already gone, and for
// a key never attached.
void detach(const AttachmentKey& key, const Network& network, Ipam& ipam);

// Verifies that what was recorded under key is still in place (bridge, veth
// pair and master, addresses, routes, lease). Throws Error naming the first
// thing that is missing or wrong.
void check(const AttachmentKey& key, const Network& network);

}  // namespace nsnet
