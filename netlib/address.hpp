// Interface addresses, v4 and v6.
#pragma once

#include <vector>

#include "netlib/ip.hpp"
#include "netlib/netlink.hpp"

namespace nsnet {

// Adds cidr to the link. no_dad sets IFA_F_NODAD (v6 only): the address is
// usable at once instead of "tentative" for a second or more. Returns false if
// the link already had it.
bool add_address(NlSocket& sock, int ifindex, const Cidr& cidr, bool no_dad = false);
// Returns false if the link did not have it.
bool delete_address(NlSocket& sock, int ifindex, const Cidr& cidr);

struct AddressInfo {
  int ifindex = 0;
  Cidr cidr;
};
// Every address of every link (ifindex 0) or of one link.
std::vector<AddressInfo> list_addresses(NlSocket& sock, int ifindex = 0);

}  // namespace nsnet
