// detach(): undo an attachment from its record alone. Idempotent.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/fault.hpp"
#include "netlib/firewall/firewall.hpp"
#include "netlib/firewall/publishing.hpp"
#include "netlib/ipam.hpp"
#include "netlib/link.hpp"
#include "netlib/names.hpp"
#include "netlib/record.hpp"

namespace nsnet {
namespace {

// The bridges nsnet made for the network go with its last attachment, so
// `nsnet delete` leaves `ip link` as it found it. Kept if anything else uses one.
void remove_unused_bridges(NlSocket& host, std::string_view network) {
  if (!network_is_empty(network)) return;
  for (const auto& name : created_bridges(network)) {
    if (auto bridge = find_link(host, name)) {
      auto links = list_links(host);
      if (std::any_of(links.begin(), links.end(),
                      [&](const LinkInfo& l) { return l.master == bridge->index; }))
        continue;
      delete_link(host, name);
    }
    forget_created_bridge(network, name);
  }
}

}  // namespace

void detach(const AttachmentKey& key, const Network& network, Ipam& ipam) {
  with_context(fmt::format("detach {}", key.str()), [&] {
    try {
      validate_key(key);
    } catch (const Error&) {
      return;  // attach refuses such a key: it cannot own anything
    }
    auto lock = lock_network(key.network);
    std::optional<AttachmentRecord> record;
    try {
      record = load_record(key);
    } catch (const Error& e) {  // a corrupt record must not block the cleanup
      spdlog::warn("{}; cleaning up without it", e.what());
    }
    auto host = NlSocket::open();
    // Kept to the end: closing its nft socket after a commit waits for the
    // commit's RCU grace period, which the link work below then overlaps.
    Firewall firewall;
    firewall_detach(key, record ? &*record : nullptr, firewall);
    fault_point("detach-firewall");
    // Deleting the host end destroys the peer in the container too.
    delete_link(host, record ? record->host_veth : host_veth_name(key));
    fault_point("detach-veth");
    ipam.release(key, network);
    fault_point("detach-release");
    remove_record(key);
    fault_point("detach-record");
    if (network_is_empty(key.network)) {
      firewall_forget_network(key.network, record ? &*record : nullptr, firewall);
      // Cheap now that the network's directories are (nearly) empty.
      sweep_dead_temp_files(network_dir(key.network));
    }
    remove_unused_bridges(host, key.network);
  });
}

}  // namespace nsnet
