// netlink_floor BRIDGE NETNS_PREFIX N BASE [FIRST]: the kernel floor of a CNI ADD.
//
// For containers i = FIRST..FIRST+N-1 (default FIRST 0; named netns
// NETNS_PREFIX-i) it makes what a bridge plugin
// makes, with raw netlink through libnl and no exec: a veth pair whose host
// end is enslaved to BRIDGE and up, whose peer is eth0 in the netns with
// address BASE.x.y/16, up, and a default route via BASE.0.1. It prints the
// seconds each container took, one line each. The harness makes the netns
// and the bridge beforehand.
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <netlink/route/link/veth.h>

#include "netlib/fd.hpp"
#include "netlib/netlink.hpp"

namespace {

using nsnet::NlAddr;
using nsnet::NlLink;
using nsnet::NlRoute;
using nsnet::NlRtAddr;
using nsnet::NlSocket;
using nsnet::UniqueFd;

UniqueFd open_ns(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw std::runtime_error("open " + path);
  return fd;
}

void must(int err, const std::string& what) {
  if (err < 0) nsnet::fail_nl(err, what);
}

// A netlink socket stays bound to the netns it was opened in, so open it
// there and come straight back (on this thread: NlSocket::open_in's helper
// thread would add its own start-up to the floor).
NlSocket connect_route_in(const UniqueFd& netns, const UniqueFd& home) {
  if (::setns(netns.get(), CLONE_NEWNET) != 0) throw std::runtime_error("setns into container");
  NlSocket sock = NlSocket::open();
  if (::setns(home.get(), CLONE_NEWNET) != 0) throw std::runtime_error("setns back home");
  return sock;
}

NlAddr parse(const std::string& text) {
  nl_addr* addr = nullptr;
  must(nl_addr_parse(text.c_str(), AF_INET, &addr), "parse " + text);
  return NlAddr(addr);
}

void add_veth(nl_sock* host, const std::string& name, int master, const UniqueFd& netns) {
  NlLink veth(rtnl_link_veth_alloc());
  rtnl_link_set_name(veth.get(), name.c_str());
  rtnl_link_set_master(veth.get(), master);
  rtnl_link_set_flags(veth.get(), IFF_UP);
  NlLink peer(rtnl_link_veth_get_peer(veth.get()));
  rtnl_link_set_name(peer.get(), "eth0");
  rtnl_link_set_ns_fd(peer.get(), netns.get());
  must(rtnl_link_add(host, veth.get(), NLM_F_CREATE | NLM_F_EXCL), "add veth " + name);
}

void configure_container(nl_sock* sock, const std::string& address, const std::string& gateway) {
  rtnl_link* found = nullptr;
  must(rtnl_link_get_kernel(sock, 0, "eth0", &found), "get eth0");
  NlLink eth0(found);
  int ifindex = rtnl_link_get_ifindex(eth0.get());

  NlRtAddr addr(rtnl_addr_alloc());
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  NlAddr local = parse(address);
  rtnl_addr_set_local(addr.get(), local.get());
  must(rtnl_addr_add(sock, addr.get(), 0), "add address " + address);

  NlLink up(rtnl_link_alloc());
  rtnl_link_set_flags(up.get(), IFF_UP);
  must(rtnl_link_change(sock, eth0.get(), up.get(), 0), "set eth0 up");

  NlRoute route(rtnl_route_alloc());
  rtnl_route_set_family(route.get(), AF_INET);
  NlAddr any = parse("0.0.0.0/0");
  rtnl_route_set_dst(route.get(), any.get());
  rtnl_nexthop* hop = rtnl_route_nh_alloc();
  NlAddr via = parse(gateway);
  rtnl_route_nh_set_gateway(hop, via.get());
  rtnl_route_nh_set_ifindex(hop, ifindex);
  rtnl_route_add_nexthop(route.get(), hop);  // the route owns hop now
  must(rtnl_route_add(sock, route.get(), NLM_F_CREATE | NLM_F_EXCL), "add default route");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: netlink_floor BRIDGE NETNS_PREFIX N BASE [FIRST]\n");
    return 2;
  }
  const std::string bridge = argv[1], prefix = argv[2], base = argv[4];
  const int count = std::atoi(argv[3]);
  const int first = argc == 6 ? std::atoi(argv[5]) : 0;
  try {
    UniqueFd home = open_ns("/proc/self/ns/net");
    NlSocket host = NlSocket::open();
    int master = static_cast<int>(if_nametoindex(bridge.c_str()));
    if (master == 0) throw std::runtime_error("no bridge " + bridge);
    for (int i = first; i < first + count; ++i) {
      auto start = std::chrono::steady_clock::now();
      UniqueFd netns = open_ns("/run/netns/" + prefix + "-" + std::to_string(i));
      add_veth(host.get(), "fl" + std::to_string(i), master, netns);
      NlSocket sock = connect_route_in(netns, home);
      int host_part = i + 2;
      configure_container(sock.get(),
                          base + "." + std::to_string(host_part / 256) + "." +
                              std::to_string(host_part % 256) + "/16",
                          base + ".0.1");
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      std::printf("%.9f\n", took.count());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "netlink_floor: %s\n", e.what());
    return 1;
  }
  return 0;
}
