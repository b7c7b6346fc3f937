#include "netlib/firewall/conntrack.hpp"

#include <arpa/inet.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <netinet/in.h>

#include <cstring>
#include <memory>
#include <vector>

#include "netlib/error.hpp"
#include "netlib/shared_library.hpp"

namespace nsnet {
namespace {

// Loaded when a UDP port changes hands, the only time conntrack is needed.
struct ConntrackApi {
  SharedLibrary lib{"libnetfilter_conntrack.so.3", "libnetfilter-conntrack3"};
  NSNET_LIBRARY_FUNCTION(nfct_open);
  NSNET_LIBRARY_FUNCTION(nfct_close);
  NSNET_LIBRARY_FUNCTION(nfct_callback_register);
  NSNET_LIBRARY_FUNCTION(nfct_callback_unregister);
  NSNET_LIBRARY_FUNCTION(nfct_query);
  NSNET_LIBRARY_FUNCTION(nfct_clone);
  NSNET_LIBRARY_FUNCTION(nfct_destroy);
  NSNET_LIBRARY_FUNCTION(nfct_get_attr);
  NSNET_LIBRARY_FUNCTION(nfct_get_attr_u8);
  NSNET_LIBRARY_FUNCTION(nfct_get_attr_u16);
};

const ConntrackApi& ct_api() {
  static const ConntrackApi loaded;
  return loaded;
}

struct CloseHandle {
  void operator()(nfct_handle* h) const { ct_api().nfct_close(h); }
};
struct DestroyCt {
  void operator()(nf_conntrack* ct) const { ct_api().nfct_destroy(ct); }
};
using CtPtr = std::unique_ptr<nf_conntrack, DestroyCt>;

struct Dump {
  const PortMapping* mapping;
  std::vector<CtPtr> victims;
};

bool original_destination_is(const nf_conntrack* ct, const IpAddress& ip) {
  uint8_t family = ct_api().nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO);
  if (family != (ip.is_v4() ? AF_INET : AF_INET6)) return false;
  const void* dst = ct_api().nfct_get_attr(ct, ip.is_v4() ? ATTR_ORIG_IPV4_DST : ATTR_ORIG_IPV6_DST);
  return dst && std::memcmp(dst, ip.bytes(), ip.size()) == 0;
}

int collect(nf_conntrack_msg_type, nf_conntrack* ct, void* data) {
  auto* dump = static_cast<Dump*>(data);
  const auto& m = *dump->mapping;
  if (ct_api().nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO) != IPPROTO_UDP) return NFCT_CB_CONTINUE;
  if (ntohs(ct_api().nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST)) != m.host_port) return NFCT_CB_CONTINUE;
  if (m.host_ip && !original_destination_is(ct, *m.host_ip)) return NFCT_CB_CONTINUE;
  if (nf_conntrack* copy = ct_api().nfct_clone(ct)) dump->victims.emplace_back(copy);
  return NFCT_CB_CONTINUE;
}

}  // namespace

int flush_udp_conntrack(const PortMapping& m) {
  if (m.protocol != "udp") return 0;
  std::unique_ptr<nfct_handle, CloseHandle> handle(ct_api().nfct_open(CONNTRACK, 0));
  if (!handle) fail_errno(errno, "cannot open a conntrack netlink socket");
  Dump dump{&m, {}};
  ct_api().nfct_callback_register(handle.get(), NFCT_T_ALL, collect, &dump);
  uint32_t family = AF_UNSPEC;
  if (ct_api().nfct_query(handle.get(), NFCT_Q_DUMP, &family) < 0)
    fail_errno(errno, fmt::format("cannot list conntrack entries for UDP port {}", m.host_port));
  ct_api().nfct_callback_unregister(handle.get());
  int deleted = 0;
  // An entry may expire between the dump and the delete (ENOENT): fine.
  for (const auto& ct : dump.victims)
    if (ct_api().nfct_query(handle.get(), NFCT_Q_DESTROY, ct.get()) == 0) ++deleted;
  return deleted;
}

}  // namespace nsnet
