#include "netlib/firewall/reservations.hpp"

#include <nlohmann/json.hpp>

#include "netlib/error.hpp"
#include "netlib/firewall/port_spec.hpp"
#include "netlib/state.hpp"

namespace nsnet {
namespace {

namespace fs = std::filesystem;

fs::path ports_dir() { return state_dir() / "ports"; }

// One lock for all reservations: a wildcard claim overlaps every host IP.
FileLock lock_ports() { return FileLock(ports_dir() / "lock"); }

fs::path claims_file(const PortMapping& m) {
  return ports_dir() / fmt::format("{}-{}.json", m.protocol, m.host_port);
}

std::vector<PortClaim> load_claims(const PortMapping& m) {
  std::vector<PortClaim> claims;
  auto text = read_file(claims_file(m));
  if (!text) return claims;
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array())
    fail(Code::Decode, "port reservations {} are corrupt; remove the file and run nsnet reconcile",
         claims_file(m).string());
  for (const auto& c : doc) {
    PortClaim claim{c.value("owner", ""), std::nullopt};
    if (auto ip = c.value("hostIP", ""); !ip.empty()) claim.host_ip = IpAddress::parse(ip);
    claims.push_back(std::move(claim));
  }
  return claims;
}

void store_claims(const PortMapping& m, const std::vector<PortClaim>& claims) {
  if (claims.empty()) {
    remove_file(claims_file(m));
    return;
  }
  auto doc = nlohmann::json::array();
  for (const auto& c : claims)
    doc.push_back({{"owner", c.owner}, {"hostIP", c.host_ip ? c.host_ip->str() : ""}});
  write_file_atomic(claims_file(m), doc.dump());
}

bool holds(const std::vector<PortClaim>& claims, const std::string& owner,
           const std::optional<IpAddress>& host_ip) {
  for (const auto& c : claims)
    if (c.owner == owner && c.host_ip == host_ip) return true;
  return false;
}

std::string where(const std::optional<IpAddress>& host_ip) {
  return host_ip ? host_ip->str() : "every host address";
}

}  // namespace

bool claims_overlap(const PortMapping& a, const PortMapping& b) {
  return a.protocol == b.protocol && a.host_port == b.host_port &&
         (!a.host_ip || !b.host_ip || *a.host_ip == *b.host_ip);
}

void refuse_overlaps(const std::vector<PortMapping>& held, const std::vector<PortMapping>& wanted) {
  std::vector<PortMapping> seen = held;
  for (const auto& m : wanted) {
    for (const auto& other : seen)
      if (claims_overlap(m, other))
        fail(Code::Conflict, "{} and {} claim the same host port; publish each host port once",
             format_port_mapping(m), format_port_mapping(other));
    seen.push_back(m);
  }
}

std::optional<PortClaim> find_overlap(const std::vector<PortClaim>& held, const std::string& owner,
                                      const std::optional<IpAddress>& host_ip) {
  for (const auto& c : held) {
    if (c.owner == owner) continue;
    if (!c.host_ip || !host_ip || *c.host_ip == *host_ip) return c;
  }
  return std::nullopt;
}

void reserve_ports(const std::string& owner, const std::vector<PortMapping>& mappings) {
  if (mappings.empty()) return;
  auto lock = lock_ports();
  // Check everything first, so a refusal leaves nothing half-reserved.
  for (const auto& m : mappings) {
    if (auto other = find_overlap(load_claims(m), owner, m.host_ip))
      fail(Code::Conflict, "host port {}/{} on {} is already published by {} (on {}); "
           "unpublish it there or choose another host port or host IP",
           m.host_port, m.protocol, where(m.host_ip), other->owner, where(other->host_ip));
  }
  for (const auto& m : mappings) {
    auto claims = load_claims(m);
    if (holds(claims, owner, m.host_ip)) continue;
    claims.push_back({owner, m.host_ip});
    store_claims(m, claims);
  }
}

void release_ports(const std::string& owner, const std::vector<PortMapping>& mappings) {
  if (mappings.empty()) return;
  auto lock = lock_ports();
  for (const auto& m : mappings) {
    auto claims = load_claims(m);
    auto kept = claims;
    std::erase_if(kept, [&](const PortClaim& c) { return c.owner == owner && c.host_ip == m.host_ip; });
    if (kept.size() != claims.size()) store_claims(m, kept);
  }
}

void release_all_ports(const std::string& owner) {
  if (!fs::exists(ports_dir())) return;
  auto lock = lock_ports();
  // Runs after crashes (an owner without a record): sweep what they left.
  sweep_dead_temp_files(ports_dir());
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(ports_dir(), ec)) {
    auto name = file.path().stem().string();  // PROTO-PORT
    auto dash = name.find('-');
    if (file.path().extension() != ".json" || dash == std::string::npos) continue;
    PortMapping m{std::stoi(name.substr(dash + 1)), 0, name.substr(0, dash), std::nullopt};
    auto claims = load_claims(m);
    auto kept = claims;
    std::erase_if(kept, [&](const PortClaim& c) { return c.owner == owner; });
    if (kept.size() != claims.size()) store_claims(m, kept);
  }
}

}  // namespace nsnet
