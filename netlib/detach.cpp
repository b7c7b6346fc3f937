// detach(): undo an attachment from its record alone. Idempotent.
#include <spdlog/spdlog.h>

#include "netlib/attachment.hpp"
#include "netlib/error.hpp"
#include "netlib/ipam.hpp"
#include "netlib/link.hpp"
#include "netlib/names.hpp"
#include "netlib/record.hpp"

namespace nsnet {
namespace {

// The bridge nsnet made for the network goes with its last attachment, so
// `nsnet delete` leaves `ip link` as it found it. Kept if anything else uses it.
void remove_bridge_if_unused(NlSocket& host, std::string_view network) {
  auto name = created_bridge(network);
  if (!name || !network_is_empty(network)) return;
  if (auto bridge = find_link(host, *name)) {
    for (const auto& link : list_links(host))
      if (link.master == bridge->index) return;
    delete_link(host, *name);
  }
  forget_created_bridge(network);
}

}  // namespace

void detach(const AttachmentKey& key, const Network& network, Ipam& ipam) {
  with_context(fmt::format("detach {}", key.str()), [&] {
    validate_key(key);
    auto lock = lock_network(key.network);
    std::optional<AttachmentRecord> record;
    try {
      record = load_record(key);
    } catch (const Error& e) {  // a corrupt record must not block the cleanup
      spdlog::warn("{}; cleaning up without it", e.what());
    }
    auto host = NlSocket::open();
    // Deleting the host end destroys the peer in the container too.
    delete_link(host, record ? record->host_veth : host_veth_name(key));
    ipam.release(key, network);
    remove_record(key);
    remove_bridge_if_unused(host, key.network);
  });
}

}  // namespace nsnet
