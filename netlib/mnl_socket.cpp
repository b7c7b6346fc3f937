#include "netlib/mnl_socket.hpp"

#include <libmnl/libmnl.h>

#include <algorithm>
#include <cerrno>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

int dispatch(const nlmsghdr* nlh, void* data) {
  (*static_cast<const MnlSocket::OnMessage*>(data))(nlh);
  return MNL_CB_OK;
}

}  // namespace

void MnlSocket::Close::operator()(mnl_socket* s) const { mnl_socket_close(s); }

MnlSocket::MnlSocket(int protocol) : socket_(mnl_socket_open(protocol)) {
  if (!socket_) fail_errno(errno, fmt::format("cannot open a netlink socket (protocol {})", protocol));
  if (mnl_socket_bind(socket_.get(), 0, MNL_SOCKET_AUTOPID) < 0)
    fail_errno(errno, fmt::format("cannot bind a netlink socket (protocol {})", protocol));
  portid_ = mnl_socket_get_portid(socket_.get());
}

MnlSocket::~MnlSocket() = default;

nlmsghdr* MnlSocket::header(uint16_t type, uint16_t flags) {
  std::fill(request_.begin(), request_.end(), 0);
  nlmsghdr* nlh = mnl_nlmsg_put_header(request_.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  nlh->nlmsg_seq = ++seq_;
  return nlh;
}

int MnlSocket::request(const nlmsghdr* nlh, const OnMessage& on_message) {
  if (mnl_socket_sendto(socket_.get(), nlh, nlh->nlmsg_len) < 0) return errno;
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(socket_.get(), reply_.data(), reply_.size());
    if (n < 0) return errno;
    int rc = mnl_cb_run(reply_.data(), n, nlh->nlmsg_seq, portid_, dispatch,
                        const_cast<OnMessage*>(&on_message));
    if (rc == MNL_CB_STOP) return 0;
    if (rc < 0) return errno;
  }
}

}  // namespace nsnet
