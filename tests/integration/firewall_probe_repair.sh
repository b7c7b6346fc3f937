#!/usr/bin/env bash
# The raw-nfnetlink probe (probe.hpp) compares elements by key, not by
# comment: each element of a network that is gone or holds another key (a
# subnet that changed, a bridge renamed, a clusterCIDR moved) is added back by
# the next attach, without rewriting the rules and without asking
# libnftables; once whole, an attach runs nothing.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"

make_bridge
cluster='"clusterCIDR":["10.244.0.0/16","fd01::/48"],'
c1=$(record c1 2 | sed "s|\"addresses\"|$cluster\"addresses\"|")
c2=$(record c2 3 | sed "s|\"addresses\"|$cluster\"addresses\"|")

add_trace() { NSNET_NFT_TRACE=1 "$FWDRIVER" add "$1" 2>&1 >/dev/null; }
"$FWDRIVER" add "$c1" >/dev/null
quiet() {
  local trace; trace=$(add_trace "$c2")
  [ -z "$trace" ] || fail "$1: an attach of a whole table ran libnftables: $trace"
}
quiet "after the first attach"

# repair WHAT SET EXPECTED: the damage just done is repaired by adding
# elements only (no rule rewrite, no libnftables listing), and SET lists
# EXPECTED again.
repair() {
  local trace; trace=$(add_trace "$c2")
  expect "$trace" '"element"' "$1: elements added"
  [[ "$trace" != *'"flush"'* && "$trace" != *'"list"'* ]] || fail "$1: more than elements: $trace"
  expect "$(nft list set inet nsnet "$2")" "$3" "$1: $2"
  quiet "$1: after the repair"
}
net='comment "net:nsnet"'

nft delete element inet nsnet bridges '{ "nsnet0" }'
nft add element inet nsnet bridges "{ \"nsnet9\" $net }"
repair "a bridge element of the network with another name" bridges '"nsnet0"'

nft delete element inet nsnet subnets_v4 '{ 10.0.0.0/24 }'
nft add element inet nsnet subnets_v4 "{ 10.0.5.0/24 $net }"
repair "the network's subnet changed" subnets_v4 "10.0.0.0/24"

nft delete element inet nsnet subnets_v6 '{ fd00::/64 }'
repair "a deleted IPv6 subnet" subnets_v6 "fd00::/64"

nft delete element inet nsnet masquerade_v4 '{ 10.0.0.0/24 }'
nft add element inet nsnet masquerade_v4 "{ 10.0.1.0/24 $net }"
repair "a masquerade element moved to the next /24" masquerade_v4 "10.0.0.0/24"

nft delete element inet nsnet masquerade_v6 '{ fd00::/64 }'
repair "a deleted IPv6 masquerade element" masquerade_v6 "fd00::/64"

nft delete element inet nsnet cluster_v4 '{ 10.0.0.0/24 . 10.244.0.0/16 }'
nft add element inet nsnet cluster_v4 "{ 10.0.0.0/24 . 10.245.0.0/16 $net }"
repair "a cluster element with another clusterCIDR" cluster_v4 "10.0.0.0/24 . 10.244.0.0/16"

nft delete element inet nsnet cluster_v6 '{ fd00::/64 . fd01::/48 }'
repair "a deleted IPv6 cluster element" cluster_v6 "fd00::/64 . fd01::/48"

# Rules: a changed table is rewritten whole (the trace shows the flush).
nft add rule inet nsnet postrouting counter
trace=$(add_trace "$c2")
expect "$trace" '"flush"' "a foreign rule: rules rewritten"
quiet "after the rule rewrite"
echo ok
