#include "launcher/netns_join.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/statfs.h>

#include <cstdio>
#include <cstring>

#include "netlib/error.hpp"

namespace nsnet::launcher {

UniqueFd open_named_netns(const std::string& name) {
  std::string path = "/run/netns/" + name;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT)
      fail(Code::NotFound,
           "network namespace '{}' does not exist ({}); create it with 'nsnet create {}' or "
           "'ip netns add {}', or use --net none",
           name, path, name, name);
    fail_errno(errno, "open " + path);
  }
  struct statfs fs{};
  if (::fstatfs(fd.get(), &fs) < 0 || fs.f_type != NSFS_MAGIC)
    fail(Code::NotFound,
         "{} is a stale entry, not a network namespace; remove it with 'ip netns delete {}'", path,
         name);
  return fd;
}

NetnsGuard::NetnsGuard(int target) : original_(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) {
  if (!original_) fail_errno(errno, "open /proc/self/ns/net");
  if (::setns(target, CLONE_NEWNET) < 0) fail_errno(errno, "setns into the network namespace");
}

NetnsGuard::~NetnsGuard() {
  if (::setns(original_.get(), CLONE_NEWNET) < 0) std::perror("nsnet: setns back to the host netns");
}

StepResult bring_loopback_up() {
  UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) return failed("socket for lo");
  struct ifreq req{};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(sock.get(), SIOCGIFFLAGS, &req) < 0) return failed("read lo flags");
  req.ifr_flags |= IFF_UP;
  if (::ioctl(sock.get(), SIOCSIFFLAGS, &req) < 0) return failed("bring lo up");
  return {};
}

StepResult set_unprivileged_port_start(int port) {
  UniqueFd fd(::open("/proc/sys/net/ipv4/ip_unprivileged_port_start", O_WRONLY | O_CLOEXEC));
  if (!fd) return failed("open net.ipv4.ip_unprivileged_port_start");
  char text[16];
  int n = std::snprintf(text, sizeof text, "%d", port);
  if (::write(fd.get(), text, n) < 0) return failed("write net.ipv4.ip_unprivileged_port_start");
  return {};
}

}  // namespace nsnet::launcher
