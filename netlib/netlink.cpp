#include "netlib/netlink.hpp"

#include <netlink/errno.h>
#include <sched.h>

#include <optional>
#include <thread>

#include "netlib/error.hpp"

namespace nsnet {

void fail_nl(int nlerr, const std::string& what) {
  Code code = Code::Kernel;
  if (nlerr == -NLE_EXIST) code = Code::Conflict;
  if (nlerr == -NLE_OBJ_NOTFOUND || nlerr == -NLE_NODEV) code = Code::NotFound;
  if (nlerr == -NLE_PERM) code = Code::Permission;
  throw Error(code, fmt::format("{}: {}", what, nl_geterror(nlerr)));
}

NlAddr make_nl_addr(const IpAddress& ip, int prefix) {
  NlAddr a(nl_addr_build(ip.af(), ip.bytes(), ip.size()));
  if (!a) throw Error(Code::Internal, "out of memory building a netlink address");
  nl_addr_set_prefixlen(a.get(), prefix);
  return a;
}

NlAddr make_nl_addr(const Cidr& cidr) { return make_nl_addr(cidr.address(), cidr.prefix()); }

IpAddress ip_from_nl(const nl_addr* a, int family) {
  auto fam = family == AF_INET6 ? IpAddress::Family::V6 : IpAddress::Family::V4;
  uint8_t zeros[16] = {};
  auto* na = const_cast<nl_addr*>(a);  // libnl's getters take non-const pointers
  bool empty = !a || nl_addr_get_len(na) == 0;
  return IpAddress::from_bytes(fam, empty ? zeros : nl_addr_get_binary_addr(na));
}

NlSocket NlSocket::open() {
  nl_sock* s = nl_socket_alloc();
  if (!s) throw Error(Code::Internal, "out of memory allocating a netlink socket");
  NlSocket sock(s);
  if (int err = nl_connect(s, NETLINK_ROUTE); err < 0) fail_nl(err, "cannot open netlink socket");
  return sock;
}

NlSocket NlSocket::open_in(int netns_fd) {
  std::optional<NlSocket> sock;
  std::exception_ptr error;
  std::thread([&] {
    try {
      if (::setns(netns_fd, CLONE_NEWNET) < 0) fail_errno(errno, "cannot enter network namespace");
      sock = open();
    } catch (...) {
      error = std::current_exception();
    }
  }).join();
  if (error) std::rethrow_exception(error);
  return std::move(*sock);
}

}  // namespace nsnet
