#include "netlib/firewall/legacy_iptables.hpp"

#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bit>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace nsnet {
namespace {

// The tables legacy iptables has loaded in this netns (/proc/net/ip_tables_names).
std::vector<std::string> loaded_tables(const char* proc_file) {
  std::vector<std::string> names;
  std::ifstream in(proc_file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) names.push_back(line);
  return names;
}

// Entries beyond the built-in ones: each hook has a policy entry and the
// table ends with an error entry; anything more is a rule or a user chain.
template <typename GetInfo>
int user_entries(int family, int level, int option, const std::string& table) {
  int fd = socket(family, SOCK_RAW, IPPROTO_RAW);
  if (fd < 0) return -1;
  GetInfo info{};
  std::strncpy(info.name, table.c_str(), sizeof info.name - 1);
  socklen_t len = sizeof info;
  int rc = getsockopt(fd, level, option, &info, &len);
  close(fd);
  if (rc != 0) return -1;
  return static_cast<int>(info.num_entries) - std::popcount(info.valid_hooks) - 1;
}

void scan(const char* tool, const char* proc_file, std::vector<std::string>& out,
          int (*count)(const std::string&)) {
  for (const auto& table : loaded_tables(proc_file)) {
    int n = count(table);
    if (n > 0) out.push_back(fmt::format("{} {}: {} rules", tool, table, n));
  }
}

}  // namespace

std::vector<std::string> legacy_iptables_in_use() {
  std::vector<std::string> out;
  scan("iptables-legacy", "/proc/net/ip_tables_names", out, [](const std::string& t) {
    return user_entries<ipt_getinfo>(AF_INET, IPPROTO_IP, IPT_SO_GET_INFO, t);
  });
  scan("ip6tables-legacy", "/proc/net/ip6_tables_names", out, [](const std::string& t) {
    return user_entries<ip6t_getinfo>(AF_INET6, IPPROTO_IPV6, IP6T_SO_GET_INFO, t);
  });
  return out;
}

}  // namespace nsnet
