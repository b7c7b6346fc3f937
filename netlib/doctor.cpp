#include "netlib/doctor.hpp"

#include <map>

#include <fmt/format.h>

#include "netlib/error.hpp"
#include "netlib/firewall/firewall.hpp"
#include "netlib/firewall/legacy_iptables.hpp"
#include "netlib/firewall/publishing.hpp"
#include "netlib/link.hpp"
#include "netlib/netns.hpp"
#include "netlib/record.hpp"
#include "netlib/route.hpp"
#include "netlib/state.hpp"
#include "netlib/sysctl.hpp"

namespace nsnet {
namespace {

using Findings = std::vector<Finding>;

void ok(Findings& out, std::string text) { out.push_back({false, std::move(text)}); }
void problem(Findings& out, std::string text) { out.push_back({true, std::move(text)}); }

std::vector<AttachmentRecord> all_records() {
  std::vector<AttachmentRecord> out;
  for (const auto& network : state_networks())
    for (auto& r : list_records(network)) out.push_back(std::move(r));
  return out;
}

bool uses_v6(const std::vector<AttachmentRecord>& records) {
  for (const auto& r : records)
    for (const auto& ip : r.ips)
      if (!ip.address.is_v4()) return true;
  return false;
}

void check_forwarding(Findings& out, const std::vector<AttachmentRecord>& records) {
  std::vector<std::pair<const char*, const char*>> keys{{"IPv4", "net.ipv4.ip_forward"}};
  if (uses_v6(records)) keys.emplace_back("IPv6", "net.ipv6.conf.all.forwarding");
  for (auto [family, key] : keys) {
    if (sysctl_get(key) == "1")
      ok(out, fmt::format("{} forwarding is on", family));
    else
      problem(out, fmt::format("{} forwarding is off ({} = 0): namespaces cannot reach beyond "
                               "the host; run `sysctl -w {}=1`", family, key, key));
  }
}

void check_legacy_iptables(Findings& out) {
  auto tables = legacy_iptables_in_use();
  if (tables.empty()) return ok(out, "no legacy (x_tables) iptables rules");
  for (const auto& t : tables)
    problem(out, fmt::format("legacy iptables rules present ({}): they run outside nftables and "
                             "can drop nsnet's traffic unseen; migrate them to nftables "
                             "(iptables-nft) or check they allow it", t));
}

void check_named_netns(Findings& out) {
  size_t stale = 0;
  for (const auto& name : list_named_netns()) {
    if (is_netns_file(netns_path(name))) continue;
    ++stale;
    problem(out, fmt::format("/run/netns/{} is stale (no namespace behind it); remove it with "
                             "`nsnet delete {}`", name, name));
  }
  if (stale == 0) ok(out, "no stale /run/netns entries");
}

void check_firewall(Findings& out, const std::vector<AttachmentRecord>& records) {
  auto st = Firewall().status();
  if (!st.table_present) {
    if (records.empty()) return ok(out, "nftables table inet nsnet absent (nothing attached)");
    return problem(out, "nftables table inet nsnet is missing (flushed by a firewall reload?): "
                        "publishing and NAT are down; run `nsnet reconcile`");
  }
  if (!st.rules_current)
    problem(out, fmt::format("table inet nsnet's {} rules are not the ones this nsnet writes "
                             "(changed, deleted or from another version); run `nsnet reconcile`",
                             st.rules));
  std::map<std::string, size_t> present;
  for (const auto& e : st.elements) ++present[e.comment];
  size_t incomplete = 0;
  for (const auto& r : records) {
    size_t want = attachment_elements(firewall_view(r)).size();
    if (present[r.key.str()] >= want) continue;
    ++incomplete;
    problem(out, fmt::format("{}: {} of its {} firewall elements are missing; run `nsnet reconcile`",
                             r.key.str(), want - present[r.key.str()], want));
  }
  if (st.rules_current && incomplete == 0)
    ok(out, fmt::format("table inet nsnet complete: {} rules, {} elements", st.rules,
                        st.elements.size()));
}

void check_mtu(Findings& out, const std::vector<AttachmentRecord>& records) {
  auto host = NlSocket::open();
  std::optional<LinkInfo> egress;
  for (const auto& r : list_routes(host, AF_INET))
    if (r.route.dst.prefix() == 0 && r.ifindex > 0) egress = find_link(host, r.ifindex);
  if (!egress) return ok(out, "no IPv4 default route: MTU not compared");
  std::map<std::string, bool> seen;
  for (const auto& r : records) {
    if (seen[r.bridge]) continue;
    seen[r.bridge] = true;
    auto bridge = find_link(host, r.bridge);
    if (!bridge || bridge->mtu <= egress->mtu) continue;
    problem(out, fmt::format("bridge {} has MTU {} but the default route leaves through {} with "
                             "MTU {}: large packets will be dropped; recreate the namespaces "
                             "with --mtu {}", r.bridge, bridge->mtu, egress->name, egress->mtu,
                             egress->mtu));
    return;
  }
  ok(out, fmt::format("bridge MTUs fit the egress interface {} (MTU {})", egress->name, egress->mtu));
}

}  // namespace

std::vector<Finding> diagnose() {
  Findings out;
  auto records = all_records();
  check_forwarding(out, records);
  check_legacy_iptables(out);
  check_named_netns(out);
  check_firewall(out, records);
  check_mtu(out, records);
  return out;
}

}  // namespace nsnet
