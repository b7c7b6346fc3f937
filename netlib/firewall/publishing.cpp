#include "netlib/firewall/publishing.hpp"

#include <set>

#include <spdlog/spdlog.h>

#include "netlib/error.hpp"
#include "netlib/firewall/firewall.hpp"
#include "netlib/firewall/host_ip.hpp"
#include "netlib/firewall/listeners.hpp"
#include "netlib/firewall/port_spec.hpp"
#include "netlib/firewall/reservations.hpp"
#include "netlib/state.hpp"

namespace nsnet {
namespace {

bool same_mapping(const PortMapping& a, const PortMapping& b) {
  return a.host_port == b.host_port && a.container_port == b.container_port &&
         a.protocol == b.protocol && a.host_ip == b.host_ip;
}

void check_host_ips(const AttachmentRecord& r, const std::vector<PortMapping>& mappings) {
  if (r.host_ip) require_host_address(*r.host_ip, "host IP");
  for (const auto& m : mappings)
    if (m.host_ip) require_host_address(*m.host_ip, "the host IP of port mapping");
}

void warn_about_listeners(const std::vector<PortMapping>& effective) {
  auto holders = find_host_listeners(effective);
  for (size_t i = 0; i < effective.size(); ++i)
    if (holders[i])
      spdlog::warn("host port {} is also held by {}; its traffic now goes to the container",
                   format_port_mapping(effective[i]), *holders[i]);
}

std::vector<PortMapping> unpublished(const AttachmentRecord& r, const std::vector<PortMapping>& ms) {
  std::vector<PortMapping> out;
  for (const auto& m : ms) {
    bool known = false;
    for (const auto& have : r.port_mappings) known = known || same_mapping(have, m);
    if (!known) out.push_back(m);
  }
  return out;
}

AttachmentRecord load_attached(const AttachmentKey& key) {
  auto r = load_record(key);
  if (!r) fail(Code::NotFound, "{} is not attached; create it first", key.str());
  return *r;
}

}  // namespace

FirewallAttachment firewall_view(const AttachmentRecord& r) {
  FirewallAttachment a;
  a.key = r.key;
  a.bridge = r.bridge;
  a.masquerade = r.ip_masq;
  a.cluster_cidrs = r.cluster_cidrs;
  for (const auto& ip : r.ips) a.addresses.push_back(ip.address);
  a.ports = r.port_mappings;
  a.host_ip = r.host_ip;
  return a;
}

std::vector<PortMapping> effective_mappings(const AttachmentRecord& r,
                                            const std::vector<PortMapping>& mappings) {
  std::vector<PortMapping> out;
  out.reserve(mappings.size());
  auto view = firewall_view(r);
  for (const auto& m : mappings) out.push_back(effective_mapping(m, view));
  return out;
}

void firewall_attach(const AttachmentRecord& r, UndoStack& undo, Firewall& firewall) {
  auto owner = r.key.str();
  check_host_ips(r, r.port_mappings);
  auto ports = effective_mappings(r, r.port_mappings);
  refuse_overlaps({}, ports);
  reserve_ports(owner, ports);
  undo.push("release host ports", [owner, ports] { release_ports(owner, ports); });
  warn_about_listeners(ports);
  auto view = firewall_view(r);
  firewall.add(view);
  undo.push("remove firewall elements", [view] { Firewall().remove(view); });
}

void firewall_detach(const AttachmentKey& key, const AttachmentRecord* r, Firewall& fw) {
  try {
    if (r) {
      fw.remove(firewall_view(*r));
      release_ports(key.str(), effective_mappings(*r, r->port_mappings));
    } else {
      fw.sweep_owner(key.str());
      release_all_ports(key.str());
    }
  } catch (const Error& e) {
    spdlog::warn("detach {}: firewall cleanup: {}", key.str(), e.what());
  }
}

void firewall_forget_network(const std::string& network, const AttachmentRecord* last,
                             Firewall& fw) {
  try {
    if (last)
      fw.remove_network(firewall_view(*last));
    else
      fw.sweep_owner(network_comment(network));
  } catch (const Error& e) {
    spdlog::warn("network {}: firewall cleanup: {}", network, e.what());
  }
}

void publish_ports(const AttachmentKey& key, const std::vector<PortMapping>& mappings) {
  with_context(fmt::format("publish on {}", key.str()), [&] {
    auto lock = lock_network(key.network);
    auto r = load_attached(key);
    auto fresh = unpublished(r, mappings);
    if (fresh.empty()) return;
    check_host_ips(r, fresh);
    auto ports = effective_mappings(r, fresh);
    refuse_overlaps(effective_mappings(r, r.port_mappings), ports);
    reserve_ports(key.str(), ports);
    UndoStack undo;
    undo.push("release host ports", [&] { release_ports(key.str(), ports); });
    auto view = firewall_view(r);
    Firewall().publish(view, fresh);
    undo.push("unpublish", [&] { Firewall().unpublish(view, fresh); });
    r.port_mappings.insert(r.port_mappings.end(), fresh.begin(), fresh.end());
    save_record(r);
    undo.commit();
  });
}

void unpublish_ports(const AttachmentKey& key, const std::vector<PortMapping>& mappings) {
  with_context(fmt::format("unpublish on {}", key.str()), [&] {
    auto lock = lock_network(key.network);
    auto r = load_attached(key);
    if (auto missing = unpublished(r, mappings); !missing.empty())
      fail(Code::NotFound, "{} is not published; see `nsnet show {}`",
           format_port_mapping(missing.front()), key.container_id);
    Firewall().unpublish(firewall_view(r), mappings);
    release_ports(key.str(), effective_mappings(r, mappings));
    std::erase_if(r.port_mappings, [&](const PortMapping& have) {
      for (const auto& m : mappings)
        if (same_mapping(have, m)) return true;
      return false;
    });
    save_record(r);
  });
}

ReconcileReport reconcile_firewall() {
  ReconcileReport report;
  std::vector<FirewallAttachment> all;
  std::set<std::string> owners;
  for (const auto& network : state_networks()) {
    auto lock = lock_network(network);
    owners.insert(network_comment(network));
    for (const auto& r : list_records(network)) {
      try {
        reserve_ports(r.key.str(), effective_mappings(r, r.port_mappings));
      } catch (const Error& e) {  // two records claim one port: keep going, say so
        spdlog::warn("reconcile {}: {}", r.key.str(), e.what());
      }
      all.push_back(firewall_view(r));
      owners.insert(r.key.str());
    }
  }
  Firewall fw;
  fw.reconcile(all);
  report.attachments = all.size();
  report.swept = fw.sweep([&](const std::string&, const nlohmann::json&, const std::string& c) {
    return !owners.contains(c);
  });
  return report;
}

}  // namespace nsnet
