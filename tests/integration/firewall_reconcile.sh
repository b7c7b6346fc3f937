#!/usr/bin/env bash
# Self-healing and manners: after `nft flush ruleset` publishing is dead until
# reconcile re-creates the table from the records; remove succeeds on a
# flushed table; another table on the host is never changed.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"

make_outside
make_bridge
make_container c1 2
bg ip netns exec c1 python3 "$TOOLS/smtp_banner.py" c1 25
wait_listen c1 25
c1=$(record c1 2 '[{"hostPort":2525,"containerPort":25}]')

"$FWDRIVER" add "$c1"
out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 2525)
expect "$out" "220 c1 ESMTP client=203.0.113.2" "published"

nft flush ruleset
if PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 2525 2>/dev/null; then
  fail "still published after nft flush ruleset (test is broken)"
fi
"$FWDRIVER" reconcile "$c1"
"$FWDRIVER" reconcile "$c1"   # idempotent
out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 2525)
expect "$out" "220 c1 ESMTP client=203.0.113.2" "published again after reconcile"
status=$("$FWDRIVER" status)
expect "$status" '"rules":19' "rule count after reconcile"

# Remove on a flushed ruleset, and on a table whose sets are gone.
nft flush ruleset
"$FWDRIVER" remove "$c1"
expect "$("$FWDRIVER" status)" '"table":false' "remove must not re-create the table"
"$FWDRIVER" add "$c1"
nft delete map inet nsnet snat_v4 2>/dev/null || true
nft flush map inet nsnet dnat_any_addr_v4
"$FWDRIVER" remove "$c1"
status=$("$FWDRIVER" status)
[[ "$status" != *"nsnet/c1"* ]] || fail "elements left after remove: $status"

# Someone else's table, with a chain, a rule and a set of its own, is never
# touched by any of our operations.
nft add table inet other
nft add set inet other blocked '{ type ipv4_addr; elements = { 192.0.2.1 } }'
nft add chain inet other input '{ type filter hook input priority 0; policy accept; }'
nft add rule inet other input ip saddr @blocked drop
before=$(nft list table inet other)
"$FWDRIVER" add "$c1"
"$FWDRIVER" remove "$c1"
"$FWDRIVER" reconcile "$c1"
"$FWDRIVER" sweep nsnet/c1/eth0 >/dev/null
[ "$(nft list table inet other)" = "$before" ] || fail "table inet other was changed"
echo ok
