// A raw netlink socket through libmnl, for requests that libnl does not
// cover (nfnetlink dumps, sock_diag): send one request, take every reply
// message until the dump ends or the kernel acknowledges.
#pragma once

#include <functional>
#include <memory>
#include <vector>

struct mnl_socket;
struct nlmsghdr;

namespace nsnet {

class MnlSocket {
 public:
  // Opens and binds a socket of `protocol` (NETLINK_NETFILTER, ...) in the
  // calling thread's netns; throws Error when it cannot.
  explicit MnlSocket(int protocol);
  ~MnlSocket();
  MnlSocket(const MnlSocket&) = delete;
  MnlSocket& operator=(const MnlSocket&) = delete;

  // A zeroed request buffer's header, with a fresh sequence number; `flags`
  // add to NLM_F_REQUEST. Valid until the next header().
  nlmsghdr* header(uint16_t type, uint16_t flags);

  // Sends the request and hands each reply message to on_message until
  // NLMSG_DONE or the ack; returns 0, or the errno the kernel (or a
  // receive) reported. on_message may throw: the exception propagates.
  using OnMessage = std::function<void(const nlmsghdr*)>;
  int request(const nlmsghdr* nlh, const OnMessage& on_message);

 private:
  struct Close {
    void operator()(mnl_socket* s) const;
  };
  std::unique_ptr<mnl_socket, Close> socket_;
  unsigned portid_ = 0;
  uint32_t seq_ = 0;
  std::vector<char> request_ = std::vector<char>(8192);
  std::vector<char> reply_ = std::vector<char>(1 << 16);
};

}  // namespace nsnet
