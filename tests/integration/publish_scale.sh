#!/usr/bin/env bash
# Through `nsnet create -p`: the nsnet table's rule count is the same with 1
# and with 100 namespaces, and deleting them all leaves no element.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"

rules() { nft -j list table inet nsnet | python3 -c "import json,sys; print(sum('rule' in o for o in json.load(sys.stdin)['nftables']))"; }
"$NSNET" create s1 10.0.0.2/24 -p 20001:25 >/dev/null
one=$(rules)
for n in $(seq 2 100); do "$NSNET" create "s$n" "10.0.0.$((n + 1))/24" -p "$((20000 + n)):25" >/dev/null; done
hundred=$(rules)
echo "rules with 1 namespace: $one, with 100: $hundred"
[ "$one" = "$hundred" ] || fail "rule count grew from $one to $hundred"
map=$(nft list map inet nsnet dnat_any_addr_v4)
expect "$map" '20100 comment "nsnet/s100/eth0"' "element of s100"
"$NSNET" delete $(seq -f 's%g' 1 100) >/dev/null
left=$(nft -j list table inet nsnet | grep -o '"elem"' | wc -l || true)
[ "$left" = 0 ] || fail "elements left after deleting all: $(nft list table inet nsnet)"
echo ok
