#include "netlib/link.hpp"

#include <linux/if_link.h>
#include <net/if.h>
#include <sys/random.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/link/veth.h>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

LinkInfo to_info(rtnl_link* l) {
  LinkInfo info;
  info.index = rtnl_link_get_ifindex(l);
  info.name = rtnl_link_get_name(l) ? rtnl_link_get_name(l) : "";
  info.kind = rtnl_link_get_type(l) ? rtnl_link_get_type(l) : "";
  info.mtu = static_cast<int>(rtnl_link_get_mtu(l));
  info.master = rtnl_link_get_master(l);
  info.up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
  if (nl_addr* a = rtnl_link_get_addr(l); a && nl_addr_get_len(a) > 0) {
    char buf[64];
    info.mac = nl_addr2str(a, buf, sizeof buf);
  }
  return info;
}

std::optional<LinkInfo> get_link(NlSocket& sock, int index, const char* name) {
  rtnl_link* raw = nullptr;
  int err = rtnl_link_get_kernel(sock.get(), index, name, &raw);
  NlLink link(raw);
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return std::nullopt;
  if (err < 0) fail_nl(err, fmt::format("cannot look up link {}", name ? name : std::to_string(index)));
  return to_info(link.get());
}

NlLink alloc_link() {
  NlLink l(rtnl_link_alloc());
  if (!l) throw Error(Code::Internal, "out of memory allocating a link");
  return l;
}

// A random locally administered unicast MAC, as the kernel would pick one.
NlAddr random_mac() {
  uint8_t mac[6];
  if (::getrandom(mac, sizeof mac, 0) != static_cast<ssize_t>(sizeof mac))
    fail_errno(errno, "cannot get random bytes for a MAC");
  mac[0] = static_cast<uint8_t>((mac[0] & 0xfe) | 0x02);
  NlAddr addr(nl_addr_build(AF_LLC, mac, sizeof mac));
  if (!addr) throw Error(Code::Internal, "out of memory building a MAC address");
  return addr;
}

}  // namespace

std::optional<LinkInfo> find_link(NlSocket& sock, std::string_view name) {
  return get_link(sock, 0, std::string(name).c_str());
}

std::optional<LinkInfo> find_link(NlSocket& sock, int index) { return get_link(sock, index, nullptr); }

std::vector<LinkInfo> list_links(NlSocket& sock) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw); err < 0)
    fail_nl(err, "cannot list links");
  NlCache cache(raw);
  std::vector<LinkInfo> links;
  for (nl_object* o = nl_cache_get_first(raw); o; o = nl_cache_get_next(o))
    links.push_back(to_info(reinterpret_cast<rtnl_link*>(o)));
  return links;
}

BridgeResult ensure_bridge(NlSocket& sock, const std::string& name, int mtu) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto existing = find_link(sock, name)) {
      if (existing->kind != "bridge")
        fail(Code::InvalidConfig,
             "link {} exists and is not a bridge (it is {}); choose another bridge name",
             name, existing->kind.empty() ? "a plain device" : "a " + existing->kind);
      if (!existing->up) set_link_up(sock, existing->index);
      return {*existing, false};
    }
    auto link = alloc_link();
    rtnl_link_set_name(link.get(), name.c_str());
    rtnl_link_set_type(link.get(), "bridge");
    rtnl_link_set_flags(link.get(), IFF_UP);
    if (mtu > 0) rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
    // A bridge whose MAC was not given takes the lowest MAC of its ports, so
    // each new veth could change the gateway's MAC under the running
    // containers: their ARP caches would black-hole their traffic through
    // the gateway until they expire (up to a minute). Given, it stays.
    rtnl_link_set_addr(link.get(), random_mac().get());
    int err = rtnl_link_add(sock.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (err == -NLE_EXIST) continue;  // made meanwhile by someone else: use theirs
    if (err < 0) fail_nl(err, fmt::format("cannot create bridge {}", name));
    if (auto created = find_link(sock, name)) return {*created, true};
  }
  fail(Code::Kernel, "bridge {} vanished while being set up; try again", name);
}

void create_veth(NlSocket& sock, const VethSpec& spec) {
  NlLink host(rtnl_link_veth_alloc());
  if (!host) throw Error(Code::Internal, "out of memory allocating a veth");
  NlLink peer(rtnl_link_veth_get_peer(host.get()));
  rtnl_link_set_name(host.get(), spec.host_name.c_str());
  rtnl_link_set_name(peer.get(), spec.peer_name.c_str());
  rtnl_link_set_ns_fd(peer.get(), spec.peer_netns_fd);
  if (spec.mtu > 0) {
    rtnl_link_set_mtu(host.get(), static_cast<unsigned>(spec.mtu));
    rtnl_link_set_mtu(peer.get(), static_cast<unsigned>(spec.mtu));
  }
  if (spec.master > 0) rtnl_link_set_master(host.get(), spec.master);
  rtnl_link_set_flags(host.get(), IFF_UP);
  if (spec.peer_mac) {
    nl_addr* raw = nullptr;
    if (nl_addr_parse(spec.peer_mac->c_str(), AF_LLC, &raw) < 0)
      fail(Code::InvalidConfig, "'{}' is not a MAC address", *spec.peer_mac);
    NlAddr mac(raw);
    rtnl_link_set_addr(peer.get(), mac.get());
  }
  if (int err = rtnl_link_add(sock.get(), host.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0)
    fail_nl(err, fmt::format("cannot create veth pair {} / {}", spec.host_name, spec.peer_name));
}

namespace {

void set_link_flag(NlSocket& sock, int index, unsigned flag, std::string_view what) {
  auto orig = alloc_link();
  rtnl_link_set_ifindex(orig.get(), index);
  auto change = alloc_link();
  rtnl_link_set_flags(change.get(), flag);
  if (int err = rtnl_link_change(sock.get(), orig.get(), change.get(), 0); err < 0)
    fail_nl(err, fmt::format("cannot {} link {}", what, index));
}

}  // namespace

void set_link_up(NlSocket& sock, int index) { set_link_flag(sock, index, IFF_UP, "bring up"); }

void set_promisc(NlSocket& sock, int index) {
  set_link_flag(sock, index, IFF_PROMISC, "set promiscuous");
}

void set_hairpin(NlSocket& sock, int index, bool on) {
  // RTM_SETLINK in the AF_BRIDGE family carries bridge port options.
  NlMsg msg(nlmsg_alloc_simple(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK));
  ifinfomsg ifi{};
  ifi.ifi_family = AF_BRIDGE;
  ifi.ifi_index = index;
  if (!msg || nlmsg_append(msg.get(), &ifi, sizeof ifi, NLMSG_ALIGNTO) < 0)
    throw Error(Code::Internal, "out of memory building a netlink message");
  nlattr* protinfo = nla_nest_start(msg.get(), IFLA_PROTINFO | NLA_F_NESTED);
  nla_put_u8(msg.get(), IFLA_BRPORT_MODE, on ? 1 : 0);
  nla_nest_end(msg.get(), protinfo);
  if (int err = nl_send_sync(sock.get(), msg.release()); err < 0)
    fail_nl(err, fmt::format("cannot set hairpin mode on link {}", index));
}

bool delete_link(NlSocket& sock, std::string_view name) {
  auto link = alloc_link();
  rtnl_link_set_name(link.get(), std::string(name).c_str());
  int err = rtnl_link_delete(sock.get(), link.get());
  if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return false;
  if (err < 0) fail_nl(err, fmt::format("cannot delete link {}", name));
  return true;
}

}  // namespace nsnet
