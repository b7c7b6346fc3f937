#include "netlib/local_ipam.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "netlib/error.hpp"
#include "netlib/state.hpp"

namespace fs = std::filesystem;

namespace nsnet {
namespace {

constexpr uint64_t kMaxProbes = 1 << 20;  // bounds the search in huge (v6) ranges

fs::path leases_dir(std::string_view network) { return network_dir(network) / "leases"; }

fs::path owners_path(const AttachmentKey& key) {
  return leases_dir(key.network) / "owners" /
         (escape_component(key.container_id) + "+" + escape_component(key.ifname));
}

// A range with its defaults filled in, as host-local canonicalizes it.
struct Bounds {
  const IpRange* range;
  IpAddress start, end, gateway;
};

Bounds bounds_of(const IpRange& r) {
  auto net = r.subnet.network().address();
  IpAddress last = net.last_in(r.subnet.prefix());
  if (r.subnet.is_v4() && r.subnet.prefix() < 31) last = last.plus(~uint64_t{0});  // minus broadcast
  Bounds b{&r, r.range_start.value_or(net.plus(1)), r.range_end.value_or(last),
           r.gateway.value_or(net.plus(1))};
  if (!r.subnet.contains(b.start) || !r.subnet.contains(b.end) || b.end < b.start)
    fail(Code::InvalidConfig, "range {}-{} does not lie within subnet {}", b.start.str(),
         b.end.str(), r.subnet.network().str());
  return b;
}

std::string owner_text(const AttachmentKey& key) {
  return key.container_id + "\n" + key.ifname + "\n";
}

std::string describe_owner(const std::string& text) {
  std::istringstream in(text);
  std::string id, ifname;
  std::getline(in, id);
  std::getline(in, ifname);
  return ifname.empty() ? fmt::format("container '{}'", id)
                        : fmt::format("container '{}' ({})", id, ifname);
}

// Takes the lease on ip for key; false if someone else holds it.
bool try_lease(const fs::path& dir, const IpAddress& ip, const AttachmentKey& key) {
  auto path = dir / ip.str();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    fail_errno(errno, fmt::format("cannot create lease {}", path.string()));
  }
  UniqueFd guard(fd);
  auto text = owner_text(key);
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    ::unlink(path.c_str());
    fail_errno(errno, fmt::format("cannot write lease {}", path.string()));
  }
  return true;
}

// Leases taken during one allocate(), released again if it fails.
class LeaseTransaction {
 public:
  explicit LeaseTransaction(fs::path dir) : dir_(std::move(dir)) {}
  ~LeaseTransaction() {
    if (committed_) return;
    for (const auto& ip : taken_) ::unlink((dir_ / ip.str()).c_str());
  }
  void taken(const IpAddress& ip) { taken_.push_back(ip); }
  void commit() { committed_ = true; }

 private:
  fs::path dir_;
  std::vector<IpAddress> taken_;
  bool committed_ = false;
};

class Allocator {
 public:
  Allocator(const AttachRequest& req, fs::path dir, std::vector<IpAddress> owned)
      : req_(req), dir_(std::move(dir)), owned_(std::move(owned)), tx_(dir_) {}

  std::vector<ResultIp> run() {
    auto requested = req_.requested_ips;
    std::vector<ResultIp> out;
    const auto& sets = req_.network.ipam.ranges;
    if (sets.empty())
      fail(Code::InvalidConfig, "network {} has no address ranges (ipam.ranges)", req_.network.name);
    for (size_t i = 0; i < sets.size(); ++i) {
      std::vector<Bounds> set;
      for (const auto& r : sets[i]) set.push_back(bounds_of(r));
      auto want = std::find_if(requested.begin(), requested.end(), [&](const Cidr& c) {
        return find_range(set, c.address()) != nullptr;
      });
      if (want != requested.end()) {
        out.push_back(take_requested(set, *want));
        requested.erase(want);
      } else {
        out.push_back(take_next(set, i));
      }
    }
    if (!requested.empty()) fail_outside(requested.front());
    tx_.commit();
    return out;
  }

 private:
  static const Bounds* find_range(const std::vector<Bounds>& set, const IpAddress& ip) {
    for (const auto& b : set)
      if (b.range->subnet.contains(ip)) return &b;
    return nullptr;
  }

  [[noreturn]] void fail_outside(const Cidr& c) const {
    std::string subnets;
    for (const auto& set : req_.network.ipam.ranges)
      for (const auto& r : set) subnets += (subnets.empty() ? "" : ", ") + r.subnet.network().str();
    fail(Code::InvalidArgument, "address {} is outside the subnets of network {} ({})",
         c.address().str(), req_.network.name, subnets);
  }

  ResultIp result(const Bounds& b, const IpAddress& ip) const {
    return ResultIp{Cidr(ip, b.range->subnet.prefix()), b.gateway, -1};
  }

  ResultIp take_requested(const std::vector<Bounds>& set, const Cidr& want) {
    const Bounds& b = *find_range(set, want.address());
    const auto& ip = want.address();
    int prefix = b.range->subnet.prefix();
    if (want.prefix() != prefix && want.prefix() != ip.bits())
      fail(Code::InvalidArgument, "{} does not match the prefix of subnet {}; use {}/{}",
           want.str(), b.range->subnet.network().str(), ip.str(), prefix);
    if (ip == b.gateway)
      fail(Code::InvalidArgument, "{} is the gateway of network {}; pick another address",
           ip.str(), req_.network.name);
    if (ip < b.start || b.end < ip)
      fail(Code::InvalidArgument, "{} is outside the range {}-{} of network {}", ip.str(),
           b.start.str(), b.end.str(), req_.network.name);
    if (std::find(owned_.begin(), owned_.end(), ip) == owned_.end()) {
      if (!try_lease(dir_, ip, req_.key)) {
        auto owner = read_file(dir_ / ip.str()).value_or("?");
        fail(Code::Conflict, "address {} is in use by {} on network {}", ip.str(),
             describe_owner(owner), req_.network.name);
      }
      tx_.taken(ip);
    }
    return result(b, ip);
  }

  ResultIp take_next(const std::vector<Bounds>& set, size_t index) {
    for (const auto& ip : owned_)  // idempotent: the key keeps what it has
      if (const Bounds* b = find_range(set, ip)) return result(*b, ip);
    auto last_path = dir_ / fmt::format("last_reserved.{}", index);
    std::optional<IpAddress> last;
    if (auto text = read_file(last_path); text && IpAddress::valid(*text)) last = IpAddress::parse(*text);
    // Round robin: from the range holding `last`, just after it, wrapping around.
    size_t first = 0;
    if (last) {
      for (size_t r = 0; r < set.size(); ++r)
        if (!(*last < set[r].start) && !(set[r].end < *last)) first = r;
    }
    uint64_t probes = 0;
    for (size_t k = 0; k <= set.size(); ++k) {
      const Bounds& b = set[(first + k) % set.size()];
      IpAddress ip = b.start;
      IpAddress stop = b.end;
      if (k == 0 && last && *last == b.end) continue;  // resume in the next range
      if (k == 0 && last && !(*last < b.start) && *last < b.end) ip = last->plus(1);
      if (k == set.size()) {  // back in the first range: the part before `last`
        if (!last || *last < b.start || b.end < *last) break;
        stop = *last;
      }
      for (;; ip = ip.plus(1)) {
        if (ip != b.gateway && try_lease(dir_, ip, req_.key)) {
          tx_.taken(ip);
          write_file_atomic(last_path, ip.str());
          return result(b, ip);
        }
        if (ip == stop || ++probes > kMaxProbes) break;
      }
      if (probes > kMaxProbes) break;
    }
    fail(Code::TryAgainLater, "no free address left in network {} (range set {}); delete unused "
         "attachments or widen the range", req_.network.name, index);
  }

  const AttachRequest& req_;
  fs::path dir_;
  std::vector<IpAddress> owned_;
  LeaseTransaction tx_;
};

// The owners file holds this line while an allocate() is under way, written
// before it takes any lease: a process killed then leaves leases the file
// does not list, and release() has to look for them. Otherwise the file is
// complete and release() reads only the leases it lists (no scan of every
// lease: DEL costs the same at the 1000th container as at the first).
constexpr std::string_view kAllocating = "allocating\n";

std::string owners_text(const std::vector<IpAddress>& ips) {
  std::string text;
  for (const auto& ip : ips) text += ip.str() + "\n";
  return text;
}

std::vector<IpAddress> parse_lines(const std::string& text) {
  std::vector<IpAddress> ips;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (IpAddress::valid(line)) ips.push_back(IpAddress::parse(line));
  return ips;
}

}  // namespace

std::vector<ResultIp> LocalIpam::allocate(const AttachRequest& request) {
  auto dir = leases_dir(request.key.network);
  FileLock lock(dir / "lock");
  auto owned = leases_of(request.key);
  auto owners = owners_path(request.key);
  write_file_atomic(owners, owners_text(owned) + std::string(kAllocating));
  std::vector<ResultIp> ips;
  try {
    ips = Allocator(request, dir, owned).run();
  } catch (...) {
    // The allocator gave back what it took: the file is as it was before.
    if (owned.empty())
      remove_file(owners);
    else
      write_file_atomic(owners, owners_text(owned));
    throw;
  }
  std::vector<IpAddress> addresses;
  addresses.reserve(ips.size());
  for (const auto& ip : ips) addresses.push_back(ip.address.address());
  write_file_atomic(owners, owners_text(addresses));
  return ips;
}

void LocalIpam::release(const AttachmentKey& key, const Network&) {
  auto dir = leases_dir(key.network);
  FileLock lock(dir / "lock");
  auto owners = read_file(owners_path(key));
  if (!owners) return;
  for (const auto& ip : parse_lines(*owners)) {
    // Only a lease that is still ours: never free an address someone else holds.
    if (read_file(dir / ip.str()) == owner_text(key)) remove_file(dir / ip.str());
  }
  if (owners->find(kAllocating) != std::string::npos) {
    // An allocate() was killed: its leases are found by their content.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      auto name = entry.path().filename().string();
      if (entry.is_regular_file() && IpAddress::valid(name) &&
          read_file(entry.path()) == owner_text(key))
        remove_file(entry.path());
    }
  }
  remove_file(owners_path(key));
}

bool LocalIpam::exhausted(const Network& network) const {
  auto dir = leases_dir(network.name);
  for (const auto& set : network.ipam.ranges) {
    bool has_free = false;
    uint64_t probes = 0;
    for (const auto& range : set) {
      auto b = bounds_of(range);
      for (IpAddress ip = b.start; !has_free && probes++ <= kMaxProbes; ip = ip.plus(1)) {
        has_free = ip != b.gateway && !fs::exists(dir / ip.str());
        if (ip == b.end) break;
      }
    }
    if (!has_free && probes <= kMaxProbes) return true;
  }
  return false;
}

std::vector<IpAddress> LocalIpam::leases_of(const AttachmentKey& key) const {
  auto text = read_file(owners_path(key));
  return text ? parse_lines(*text) : std::vector<IpAddress>{};
}

std::optional<std::pair<std::string, std::string>> LocalIpam::owner_of(std::string_view network,
                                                                       const IpAddress& ip) const {
  auto text = read_file(leases_dir(network) / ip.str());
  if (!text) return std::nullopt;
  std::istringstream in(*text);
  std::string id, ifname;
  std::getline(in, id);
  std::getline(in, ifname);
  return std::pair{id, ifname};
}

}  // namespace nsnet
