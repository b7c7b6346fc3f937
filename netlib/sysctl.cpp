#include "netlib/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "netlib/error.hpp"
#include "netlib/fd.hpp"

namespace nsnet {
namespace {

std::string sysctl_path(std::string_view key) {
  std::string path = "/proc/sys/" + std::string(key);
  // As sysctl(8): a key written with slashes keeps its dots (an interface
  // such as "br.10" in net/ipv4/conf/br.10/route_localnet).
  if (key.find('/') == std::string_view::npos) std::replace(path.begin() + 10, path.end(), '.', '/');
  return path;
}

}  // namespace

std::string sysctl_get(std::string_view key) {
  auto path = sysctl_path(key);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) fail_errno(errno, fmt::format("cannot read sysctl {}", key));
  char buf[256];
  ssize_t n = ::read(fd.get(), buf, sizeof buf);
  if (n < 0) fail_errno(errno, fmt::format("cannot read sysctl {}", key));
  std::string value(buf, static_cast<size_t>(n));
  while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
  return value;
}

void sysctl_set(std::string_view key, std::string_view value) {
  auto path = sysctl_path(key);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd || ::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
    fail_errno(errno, fmt::format("cannot set sysctl {}={}", key, value));
}

void enable_forwarding(IpAddress::Family family) {
  const char* key = family == IpAddress::Family::V4 ? "net.ipv4.ip_forward"
                                                    : "net.ipv6.conf.all.forwarding";
  if (sysctl_get(key) != "1") sysctl_set(key, "1");
}

}  // namespace nsnet
