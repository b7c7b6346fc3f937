// Host-port reservations, keyed by (protocol, host IP, port): a wildcard host
// IP (every host address) overlaps every specific one. A publish that
// overlaps another attachment's reservation fails naming that attachment.
// One small file per (protocol, port) under <state>/ports, so a check reads
// only what could conflict and costs the same with 10 or 10000 containers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "netlib/attachment.hpp"

namespace nsnet {

struct PortClaim {
  std::string owner;  // the attachment key, "network/container/ifname"
  std::optional<IpAddress> host_ip;  // empty: every host address
};

// The claim among `held` (all for one protocol and port) that a claim by
// `owner` for host_ip overlaps, if any. An owner never conflicts with itself.
std::optional<PortClaim> find_overlap(const std::vector<PortClaim>& held, const std::string& owner,
                                      const std::optional<IpAddress>& host_ip);

// True if a and b claim the same host port: same protocol and port, and the
// same host IP or a wildcard on either side.
bool claims_overlap(const PortMapping& a, const PortMapping& b);

// Throws Error(Conflict) if two of `wanted`, or one of `wanted` and one of
// `held` (the attachment's own, already published), claim the same host port.
void refuse_overlaps(const std::vector<PortMapping>& held, const std::vector<PortMapping>& wanted);

// Reserves every mapping (already effective: host_ip resolved) for owner, all
// or nothing. Idempotent for the same owner. Throws Error(Conflict) naming
// the owner of the first overlapping reservation.
void reserve_ports(const std::string& owner, const std::vector<PortMapping>& mappings);

// Drops owner's reservations of these mappings; fine when it holds none.
void release_ports(const std::string& owner, const std::vector<PortMapping>& mappings);

// Drops every reservation of owner (a detach that lost its record); reads
// every reservation file, so it is for that fallback only.
void release_all_ports(const std::string& owner);

}  // namespace nsnet
