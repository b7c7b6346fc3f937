#!/usr/bin/env bash
# An attach whose elements and rules are all in place commits nothing (a
# commit, even an empty-handed one, costs an nft transaction and an RCU grace
# period when the nft socket closes); one that finds anything missing, changed
# or foreign in our table still makes it whole.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"

make_bridge
c1=$(record c1 2)
c2=$(record c2 3)

# add_trace RECORD: adds it with each nft transaction traced; prints the trace.
add_trace() { NSNET_NFT_TRACE=1 "$FWDRIVER" add "$1" 2>&1 >/dev/null; }
whole() {
  local status; status=$("$FWDRIVER" status)
  expect "$status" '"current":true' "$1: rules current"
  expect "$status" '"rules":19' "$1: rule count"
  expect "$(nft list set inet nsnet bridges)" '"nsnet0"' "$1: bridge element"
  expect "$(nft list set inet nsnet masquerade_v4)" "10.0.0.0/24" "$1: masquerade element"
}

trace=$(add_trace "$c1")
expect "$trace" '"flush"' "the first attach writes the rules"
whole "first attach"

# It reads the table over raw nfnetlink (probe.hpp): libnftables runs nothing.
trace=$(add_trace "$c2")
[ "$(grep -c '^nft: ' <<<"$trace")" = 0 ] || fail "a second attach ran libnftables: $trace"
whole "second attach"
# ... nor even loads it (shared_library.hpp): the plugin does not link it.
loaded=$(LD_DEBUG=files "$FWDRIVER" add "$c2" 2>&1 >/dev/null | grep -c 'file=libnftables' || true)
[ "$loaded" = 0 ] || fail "an attach of a whole table loaded libnftables"
linked=$(ldd "$NSNET")
[[ "$linked" != *libnftables* && "$linked" != *libnetfilter_conntrack* ]] \
  || fail "nsnet links libnftables or libnetfilter_conntrack: $linked"

# Each damage is repaired by the next attach.
heal() {  # heal WHAT EXPECTED_IN_TRACE: after the damage just done
  local trace; trace=$(add_trace "$c2")
  expect "$trace" "$2" "$1: repair"
  whole "$1"
}
nft delete element inet nsnet bridges '{ "nsnet0" }'
heal "a deleted bridge element" '"element"'
nft delete element inet nsnet masquerade_v4 '{ 10.0.0.0/24 }'
heal "a deleted masquerade element" '"element"'

handle=$(nft -a list chain inet nsnet postrouting | awk '/masquerade/ {print $NF; exit}')
nft delete rule inet nsnet postrouting handle "$handle"
heal "a deleted rule" '"flush"'
nft add rule inet nsnet forward counter
heal "a foreign rule in our chain" '"flush"'
nft add chain inet nsnet forward '{ policy drop; }'
heal "a base chain's policy set to drop" '"flush"'
nft flush chain inet nsnet guard
nft add rule inet nsnet guard iifname != lo ip daddr 127.0.0.0/8 drop comment '"nsnet 0000000000000000 5/19"'
nft add rule inet nsnet guard iifname != lo ip saddr 127.0.0.0/8 drop comment '"nsnet 0000000000000000 6/19"'
heal "rules written by another version" '"flush"'
nft flush ruleset
heal "a flushed ruleset" '"flush"'

# status (what `nsnet doctor` reads) tells rules that are not current.
nft add rule inet nsnet forward counter
expect "$("$FWDRIVER" status)" '"current":false' "status of a table with a foreign rule"
# ... and the attach that rewrites them loads libnftables (the check above can tell).
loaded=$(LD_DEBUG=files "$FWDRIVER" add "$c2" 2>&1 >/dev/null | grep -c 'file=libnftables' || true)
[ "$loaded" != 0 ] || fail "an attach that rewrites the rules did not load libnftables"
echo ok
