// Links: bridge, veth pair, enslave, up, MTU, MAC, hairpin, delete.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlib/netlink.hpp"

namespace nsnet {

struct LinkInfo {
  int index = 0;
  std::string name;
  std::string kind;  // "bridge", "veth", ... empty for a plain device
  int mtu = 0;
  int master = 0;    // ifindex of the bridge this link is enslaved to, or 0
  bool up = false;
  std::string mac;
};

std::optional<LinkInfo> find_link(NlSocket& sock, std::string_view name);
std::optional<LinkInfo> find_link(NlSocket& sock, int index);
std::vector<LinkInfo> list_links(NlSocket& sock);

// Creates bridge `name` up with mtu (0: kernel default) and a MAC of its own
// (fixed while ports come and go) if it is missing. Idempotent; fails if a
// link of that name exists and is not a bridge.
struct BridgeResult {
  LinkInfo link;
  bool created = false;
};
BridgeResult ensure_bridge(NlSocket& sock, const std::string& name, int mtu);

// A veth pair created in one request: the host end enslaved to `master` and
// up, the peer created directly inside peer_netns_fd under its final name.
struct VethSpec {
  std::string host_name;
  std::string peer_name;
  int peer_netns_fd = -1;
  int mtu = 0;
  int master = 0;
  std::optional<std::string> peer_mac;
};
void create_veth(NlSocket& sock, const VethSpec& spec);

void set_link_up(NlSocket& sock, int index);
// The bridge port flag that lets a frame leave by the port it came in on.
// Puts link index into promiscuous mode (a bridge with promiscMode).
void set_promisc(NlSocket& sock, int index);

void set_hairpin(NlSocket& sock, int index, bool on);
// Returns false if there was no such link.
bool delete_link(NlSocket& sock, std::string_view name);

}  // namespace nsnet
