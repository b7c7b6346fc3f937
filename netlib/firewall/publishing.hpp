// The firewall side of attachments, driven by their records (record.hpp):
// what attach, detach, `nsnet publish/unpublish` and `nsnet reconcile` do to
// port reservations and to the nsnet nftables table.
#pragma once

#include <vector>

#include "netlib/firewall/elements.hpp"
#include "netlib/firewall/firewall.hpp"
#include "netlib/record.hpp"
#include "netlib/undo.hpp"

namespace nsnet {

FirewallAttachment firewall_view(const AttachmentRecord& r);

// For attach(), with the record complete but not yet saved: refuses a host IP
// that is not on this host, reserves the published ports (Conflict naming
// their owner), adds the attachment's elements in one transaction, and pushes
// the undo of each step. A host process listening on a published port only
// gets a warning here (runtimes hold their host ports open themselves).
// `firewall` commits; closing its nft socket after a commit waits for an RCU
// grace period (5-15 ms), so the caller keeps it until its other work is done.
void firewall_attach(const AttachmentRecord& r, UndoStack& undo, Firewall& firewall);

// For detach(): removes the elements and releases the reservations; without a
// record, finds both by the key. Best effort: logs, never throws. As for
// firewall_attach(), the caller keeps `firewall` to the end of its work.
void firewall_detach(const AttachmentKey& key, const AttachmentRecord* r, Firewall& firewall);

// For detach() of a network's last attachment (given its record, if any):
// removes the network's elements. Best effort: logs, never throws.
void firewall_forget_network(const std::string& network, const AttachmentRecord* last,
                             Firewall& firewall);

// Publishes / unpublishes mappings of an existing attachment and saves its
// record. Throws NotFound if key is not attached, Conflict if a port is taken,
// NotFound on unpublish of a mapping that is not published.
void publish_ports(const AttachmentKey& key, const std::vector<PortMapping>& mappings);
void unpublish_ports(const AttachmentKey& key, const std::vector<PortMapping>& mappings);

struct ReconcileReport {
  size_t attachments = 0;  // whose elements were (re)added
  size_t swept = 0;        // elements removed because no record owns them
};
// Re-creates the table, its rules and every recorded attachment's elements
// and reservations; deletes elements no record owns. Idempotent; touches no
// link or address.
ReconcileReport reconcile_firewall();

// The mappings as published (the attachment's host IP filled in).
std::vector<PortMapping> effective_mappings(const AttachmentRecord& r,
                                            const std::vector<PortMapping>& mappings);

}  // namespace nsnet
