#!/usr/bin/env bash
# Legacy (x_tables) iptables rules are detected, for the doctor's warning;
# built-in chains with their policies alone are not rules.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"
command -v iptables-legacy >/dev/null || { echo "SKIP: iptables-legacy not installed"; exit 77; }

[ -z "$("$FWDRIVER" legacy)" ] || fail "legacy rules reported in a fresh netns"
iptables-legacy -t filter -L >/dev/null   # loads the table, no rules
[ -z "$("$FWDRIVER" legacy)" ] || fail "an empty legacy filter table reported as rules"
iptables-legacy -A FORWARD -s 192.0.2.0/24 -j DROP
iptables-legacy -A INPUT -p tcp --dport 9 -j DROP
ip6tables-legacy -t nat -A POSTROUTING -o lo -j RETURN
out=$("$FWDRIVER" legacy)
expect "$out" "iptables-legacy filter: 2 rules" "legacy v4 rules"
expect "$out" "ip6tables-legacy nat: 1 rules" "legacy v6 rules"
echo ok
