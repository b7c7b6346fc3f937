// Our sets' elements as the kernel holds them, byte for byte, so probe.hpp can
// tell over raw nfnetlink whether an element is there, by its key (a network
// whose subnet changed keeps its comment but needs its new key). Pure.
//
//   ifname set      the name, zero-padded to IFNAMSIZ (16) bytes
//   interval set    (one field: rbtree) a start element at the first address
//                   and an element flagged NFT_SET_ELEM_INTERVAL_END at
//                   last + 1, none when last is all-ones
//   concat interval (pipapo) one element: KEY the fields' first addresses,
//                   KEY_END their last ones, each field padded to 4 bytes
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "netlib/firewall/elements.hpp"

namespace nsnet {

using KeyBytes = std::vector<uint8_t>;

enum class SetShape { Plain, Interval, ConcatInterval };

// A wanted element, encoded. Plain: key only. Interval: key = first address,
// last = last address. ConcatInterval: key = KEY, last = KEY_END.
struct KernelKey {
  SetShape shape = SetShape::Plain;
  KeyBytes key;
  KeyBytes last;
};

// The kernel form of an element of ours (elements.hpp): the bridges set's
// ifname, a {"prefix"} or a {"concat"} of prefixes; nullopt for any other
// key, which the probe then cannot judge.
std::optional<KernelKey> kernel_key(const Element& e);

// One element as a set-element dump returns it.
struct KernelElement {
  KeyBytes key;
  KeyBytes key_end;           // NFTA_SET_ELEM_KEY_END (concat intervals)
  bool interval_end = false;  // NFT_SET_ELEM_INTERVAL_END
};

// Whether a dump of one set holds exactly the wanted element (for an
// interval: its start, its end at last + 1 and no boundary in between).
bool set_holds(const std::vector<KernelElement>& dump, const KernelKey& wanted);

}  // namespace nsnet
