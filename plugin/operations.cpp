#include "plugin/operations.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/local_ipam.hpp"
#include "netlib/netns.hpp"
#include "netlib/network_config.hpp"
#include "netlib/record.hpp"
#include "netlib/state.hpp"
#include "plugin/delegated_ipam.hpp"
#include "plugin/result.hpp"

namespace nsnet::cni {
namespace {

using nlohmann::json;

// The network's IPAM: ours, or the plugin ipam.type names (spec section 4).
class IpamChoice {
 public:
  explicit IpamChoice(const Request& req) {
    if (req.network.ipam.type != kPluginType)
      delegated_.emplace(req.network.ipam.type, req.env.path, req.config);
  }
  Ipam& get() {
    if (delegated_) return *delegated_;
    return local_;
  }
  DelegatedIpam* delegated() { return delegated_ ? &*delegated_ : nullptr; }

 private:
  LocalIpam local_;
  std::optional<DelegatedIpam> delegated_;
};

AttachRequest attach_request(const Request& req) {
  AttachRequest ar;
  ar.key = req.key();
  ar.netns_path = req.env.netns;
  ar.network = req.network;
  ar.requested_ips = req.requested_ips;
  ar.mac = req.mac;
  ar.port_mappings = req.port_mappings;
  ar.host_ip = req.host_ip;
  return ar;
}

// CHECK must consult prevResult (spec): our interface and every address we
// recorded must still be in it, or the runtime is checking something else.
void check_prev_result(const Request& req) {
  if (!req.prev_result) fail(Code::InvalidConfig, "CHECK needs prevResult: the result of the ADD");
  AttachResult prev = result_from_json(*req.prev_result, "prevResult");
  auto ours = std::find_if(prev.interfaces.begin(), prev.interfaces.end(), [&](const auto& i) {
    return i.name == req.env.ifname && !i.sandbox.empty();
  });
  if (ours == prev.interfaces.end())
    fail(Code::InvalidConfig, "prevResult has no interface {} in a sandbox", req.env.ifname);
  int index = static_cast<int>(ours - prev.interfaces.begin());
  auto record = with_context("CHECK", [&] {
    auto lock = lock_network(req.network.name);
    return load_record(req.key());
  });
  if (!record) fail(Code::UnknownContainer, "CHECK {}: no such attachment", req.key().str());
  for (const auto& ip : record->ips) {
    bool listed = std::any_of(prev.ips.begin(), prev.ips.end(), [&](const ResultIp& p) {
      return p.address == ip.address && p.interface == index;
    });
    if (!listed)
      fail(Code::InvalidConfig, "prevResult does not list address {} on {}", ip.address.str(),
           req.env.ifname);
  }
}

// STATUS 50 (the plugin is not available) when ADD would fail for want of
// something no ADD can fix.
[[noreturn]] void unavailable(std::string_view why) {
  throw Error(Code::PluginNotAvailable, std::string(why));
}

void require_usable_state_dir() {
  auto dir = state_dir();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || ::access(dir.c_str(), W_OK | X_OK) != 0)
    unavailable(fmt::format("state directory {} is not usable: {}", dir.string(),
                            ec ? ec.message() : std::strerror(errno)));
}

void require_kernel_features(const Network& network) {
  bool v6 = false;
  for (const auto& set : network.ipam.ranges)
    for (const auto& range : set) v6 = v6 || !range.subnet.is_v4();
  if (::access("/proc/sys/net/ipv4/ip_forward", W_OK) != 0)
    unavailable("IPv4 forwarding cannot be enabled (/proc/sys/net/ipv4/ip_forward)");
  if (v6 && ::access("/proc/sys/net/ipv6/conf/all/forwarding", W_OK) != 0)
    unavailable("the network has an IPv6 subnet but this kernel has no IPv6 (/proc/sys/net/ipv6)");
}

// The attachments GC must keep: cni.dev/valid-attachments (spec 1.1.0), or
// cni.dev/attachments as earlier libcni versions sent it.
std::set<std::pair<std::string, std::string>> valid_attachments(const json& config) {
  const json* list = nullptr;
  for (const char* key : {"cni.dev/valid-attachments", "cni.dev/attachments"})
    if (auto it = config.find(key); it != config.end() && !it->is_null()) list = &*it;
  if (!list)
    fail(Code::InvalidConfig, "GC needs cni.dev/valid-attachments (an empty list frees everything)");
  if (!list->is_array()) fail(Code::InvalidConfig, "cni.dev/valid-attachments must be a list");
  std::set<std::pair<std::string, std::string>> keep;
  for (const auto& a : *list) {
    if (!a.is_object() || !a.contains("containerID") || !a["containerID"].is_string() ||
        !a.contains("ifname") || !a["ifname"].is_string())
      fail(Code::InvalidConfig, "cni.dev/valid-attachments: {} is not {{\"containerID\", \"ifname\"}}",
           a.dump());
    keep.emplace(a["containerID"].get<std::string>(), a["ifname"].get<std::string>());
  }
  return keep;
}

}  // namespace

// CNI_NETNS that is no network namespace is the runtime's mistake (code 4).
void require_netns(const std::string& path) {
  try {
    open_netns(path);
  } catch (const Error& e) {
    throw Error(Code::InvalidEnv, fmt::format("CNI_NETNS: {}", e.what()));
  }
}

json cmd_add(const Request& req) {
  require_netns(req.env.netns);
  IpamChoice ipam(req);
  AttachResult result = attach(attach_request(req), ipam.get());
  if (ipam.delegated() && (!result.dns.is_object() || result.dns.empty()))
    result.dns = ipam.delegated()->last_result().dns;
  json ours = result_to_json(result, req.cni_version);
  return req.prev_result ? merge_results(*req.prev_result, ours) : ours;
}

void cmd_del(const Request& req) {
  IpamChoice ipam(req);
  detach(req.key(), req.network, ipam.get());
}

void cmd_check(const Request& req) {
  check_prev_result(req);
  check(req.key(), req.network);
  IpamChoice ipam(req);
  if (ipam.delegated()) ipam.delegated()->check(req.key());
}

void cmd_status(const Request& req) {
  require_usable_state_dir();
  require_kernel_features(req.network);
  IpamChoice ipam(req);
  if (ipam.delegated()) {
    ipam.delegated()->status();
  } else if (LocalIpam().exhausted(req.network)) {
    unavailable(fmt::format("network {} has no free address left", req.network.name));
  }
}

void cmd_gc(const Request& req) {
  auto keep = valid_attachments(req.config);
  std::vector<AttachmentKey> stale;
  {
    auto lock = lock_network(req.network.name);
    sweep_dead_temp_files(network_dir(req.network.name));
    for (const auto& record : list_records(req.network.name))
      // `nsnet create`'s attachments are not the runtime's to collect.
      if (!keep.contains({record.key.container_id, record.key.ifname}) &&
          record.origin == Origin::Cni)
        stale.push_back(record.key);
  }
  IpamChoice ipam(req);
  for (const auto& key : stale) {
    spdlog::info("GC: releasing {}", key.str());
    detach(key, req.network, ipam.get());  // takes the lock itself
  }
  if (ipam.delegated()) ipam.delegated()->gc();
}

}  // namespace nsnet::cni
