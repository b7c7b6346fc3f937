#include "netlib/firewall/listeners.hpp"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "netlib/error.hpp"
#include "netlib/mnl_socket.hpp"

namespace nsnet {
namespace {

namespace fs = std::filesystem;

struct Socket {
  IpAddress local;
  int port = 0;
  std::string inode;
};

// The sockets of one family and protocol in `state`, as the kernel's
// sock_diag lists them for the calling thread's netns. Asking for listening
// TCP sockets only walks the (small) listening hash: /proc/net/tcp walks
// every bucket of the host's established hash, ~8 ms per read on a large
// machine even from an empty netns. nullopt when sock_diag cannot answer
// (inet_diag not loadable here).
std::optional<std::vector<Socket>> diag_sockets(uint8_t family, uint8_t protocol, int state) {
  std::vector<Socket> out;
  try {
    MnlSocket diag(NETLINK_SOCK_DIAG);
    auto* nlh = diag.header(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
    auto* req = static_cast<inet_diag_req_v2*>(mnl_nlmsg_put_extra_header(nlh, sizeof(inet_diag_req_v2)));
    req->sdiag_family = family;
    req->sdiag_protocol = protocol;
    req->idiag_states = 1u << state;
    int err = diag.request(nlh, [&](const nlmsghdr* reply) {
      if (reply->nlmsg_type != SOCK_DIAG_BY_FAMILY) return;
      const auto* msg = static_cast<const inet_diag_msg*>(mnl_nlmsg_get_payload(reply));
      auto fam = msg->idiag_family == AF_INET ? IpAddress::Family::V4 : IpAddress::Family::V6;
      out.push_back({IpAddress::from_bytes(fam, msg->id.idiag_src), ntohs(msg->id.idiag_sport),
                     std::to_string(msg->idiag_inode)});
    });
    if (err != 0) return std::nullopt;
  } catch (const Error&) {
    return std::nullopt;
  }
  return out;
}

// /proc/net/tcp prints each 32-bit word of the address in host byte order.
IpAddress decode_address(const std::string& hex) {
  std::array<uint8_t, 16> bytes{};
  size_t words = hex.size() / 8;
  for (size_t w = 0; w < words; ++w) {
    uint32_t word = static_cast<uint32_t>(std::stoul(hex.substr(w * 8, 8), nullptr, 16));
    std::memcpy(bytes.data() + w * 4, &word, 4);
  }
  return IpAddress::from_bytes(words == 1 ? IpAddress::Family::V4 : IpAddress::Family::V6,
                               bytes.data());
}

// The same from /proc/net (state as it prints it), where sock_diag is not there.
std::vector<Socket> proc_sockets(const std::string& file, int state) {
  std::vector<Socket> out;
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, st, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> st >> queues >> timer >> retransmits >> uid >>
          timeout >> inode) || std::stoi(st, nullptr, 16) != state)
      continue;
    auto colon = local.find(':');
    out.push_back({decode_address(local.substr(0, colon)),
                   static_cast<int>(std::stoul(local.substr(colon + 1), nullptr, 16)), inode});
  }
  return out;
}

std::vector<Socket> sockets(const std::string& protocol, bool v4, int state) {
  uint8_t proto = protocol == "tcp" ? IPPROTO_TCP : IPPROTO_UDP;
  if (auto found = diag_sockets(v4 ? AF_INET : AF_INET6, proto, state)) return *found;
  return proc_sockets("/proc/net/" + protocol + (v4 ? "" : "6"), state);
}

bool is_wildcard(const IpAddress& ip) {
  return ip == IpAddress::parse(ip.is_v4() ? "0.0.0.0" : "::");
}

bool overlaps(const Socket& s, const std::optional<IpAddress>& host_ip) {
  return !host_ip || is_wildcard(s.local) || s.local == *host_ip;
}

// The process holding socket inode, as "comm (pid N)".
std::string owner_of(const std::string& inode) {
  auto target = "socket:[" + inode + "]";
  std::error_code ec;
  for (const auto& proc : fs::directory_iterator("/proc", ec)) {
    auto pid = proc.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code fd_ec;
    for (const auto& fd : fs::directory_iterator(proc.path() / "fd", fd_ec)) {
      std::error_code link_ec;
      if (fs::read_symlink(fd.path(), link_ec).string() != target) continue;
      std::string comm;
      std::getline(std::ifstream(proc.path() / "comm"), comm);
      return fmt::format("{} (pid {})", comm, pid);
    }
  }
  return fmt::format("a process we cannot see (socket inode {})", inode);
}

// The listening (tcp) or bound (udp) sockets of protocol, v4 then v6.
std::vector<Socket> protocol_sockets(const std::string& protocol) {
  int state = protocol == "tcp" ? TCP_LISTEN : TCP_CLOSE;  // a bound UDP socket is "closed"
  auto out = sockets(protocol, true, state);
  auto v6 = sockets(protocol, false, state);
  out.insert(out.end(), v6.begin(), v6.end());
  return out;
}

}  // namespace

std::vector<std::optional<std::string>> find_host_listeners(
    const std::vector<PortMapping>& mappings) {
  std::map<std::string, std::vector<Socket>> tables;  // "tcp"/"udp": its v4 then v6 sockets
  std::vector<std::optional<std::string>> found(mappings.size());
  for (size_t i = 0; i < mappings.size(); ++i) {
    const auto& m = mappings[i];
    if (m.protocol != "tcp" && m.protocol != "udp") continue;
    auto [table, fresh] = tables.try_emplace(m.protocol);
    if (fresh) table->second = protocol_sockets(m.protocol);
    for (const auto& s : table->second) {
      if (s.port != m.host_port || !overlaps(s, m.host_ip)) continue;
      auto where = s.local.is_v4() ? s.local.str() : "[" + s.local.str() + "]";
      found[i] = fmt::format("{} on {}:{}/{}", owner_of(s.inode), where, s.port, m.protocol);
      break;
    }
  }
  return found;
}

}  // namespace nsnet
