// The built-in IPAM (ipam type "nsnet"), with host-local's semantics: range
// sets of ranges (subnet, rangeStart, rangeEnd, gateway), one address from each
// set (dual stack), requested static addresses, round-robin from the last
// reserved address. Leases live under <state>/networks/<network>/leases:
//   <ip>              "container id\nifname\n" (the lease; O_EXCL creation)
//   owners/<key>      the key's addresses, one per line (no scan on release),
//                     and a line "allocating" while an allocate() runs
//   last_reserved.<n> the last address handed out from range set n
// all under one flock per network (leases/lock).
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "netlib/ipam.hpp"

namespace nsnet {

class LocalIpam : public Ipam {
 public:
  std::vector<ResultIp> allocate(const AttachRequest& request) override;
  void release(const AttachmentKey& key, const Network& network) override;

  // True if some range set of network has no address left to lease (for
  // CNI STATUS). Probes at most as far as allocate() would.
  bool exhausted(const Network& network) const;

  // The addresses key holds on its network.
  std::vector<IpAddress> leases_of(const AttachmentKey& key) const;
  // The (container id, ifname) holding ip on network, if any.
  std::optional<std::pair<std::string, std::string>> owner_of(std::string_view network,
                                                              const IpAddress& ip) const;
};

}  // namespace nsnet
