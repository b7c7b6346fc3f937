// The attachment record: everything attach created for one key, so that
// detach, check and GC need neither the netns nor the addresses.
// Stored as <state>/networks/<network>/attachments/<container id>+<ifname>.json.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "netlib/attachment.hpp"
#include "netlib/state.hpp"

namespace nsnet {

struct AttachmentRecord {
  AttachmentKey key;
  std::string netns_path;
  std::string host_veth;
  std::string bridge;
  std::string container_mac;
  std::vector<ResultIp> ips;
  std::vector<Route> routes;  // routes added in the container
  std::vector<PortMapping> port_mappings;
  std::optional<IpAddress> host_ip;
  bool ip_masq = true;  // the network's, so reconcile needs no network config
  std::vector<Cidr> cluster_cidrs;  // the network's clusterCIDR, likewise
  Origin origin = Origin::Cni;

  nlohmann::json to_json() const;
  static AttachmentRecord from_json(const nlohmann::json& j);  // throws Decode
};

// All of these expect the caller to hold the network's lock (lock_network).
void save_record(const AttachmentRecord& record);
std::optional<AttachmentRecord> load_record(const AttachmentKey& key);
bool remove_record(const AttachmentKey& key);
// Every record of a network (for GC and firewall reconcile), in no particular order.
std::vector<AttachmentRecord> list_records(std::string_view network);
// True if the network has no record (reads at most one directory entry).
bool network_is_empty(std::string_view network);

// The lock that serializes attach/detach on one network (one flock per network).
FileLock lock_network(std::string_view network);

}  // namespace nsnet

namespace nsnet {

// The bridges nsnet created for a network (so detach of the network's last
// attachment removes them, and never a bridge someone else made).
void remember_created_bridge(std::string_view network, const std::string& bridge);
std::vector<std::string> created_bridges(std::string_view network);
void forget_created_bridge(std::string_view network, const std::string& bridge);

}  // namespace nsnet
