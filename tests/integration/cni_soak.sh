#!/usr/bin/env bash
# Concurrency soak: 16 workers, 50 operations each, mixed ADD / DEL / CHECK /
# GC across 4 networks (tests/tools/soak.py). No unexpected error, and
# nothing left at the end: no host veths, leases, records, firewall elements
# or stray links.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

workers=16 ops=${SOAK_OPS:-50}
for w in $(seq 0 $((workers - 1))); do for s in 0 1; do ip netns add "w${w}s$s"; done; done
before=$(ip -o link show | awk -F': ' '{print $2}' | grep -v '^soak' | sort)
"$PY" "$NSNET_SRC/tests/tools/soak.py" "$CNI_BIN/nsnet" "$workers" "$ops" 4

[ -z "$(leases)" ] || fail "the soak left leases: $(leases | head)"
records=$(find "$STATE" -name '*.json' -path '*networks*' ! -path '*leases*' 2>/dev/null | grep -v '/ports/' || true)
[ -z "$records" ] || fail "the soak left records: $(head -5 <<<"$records")"
after=$(ip -o link show | awk -F': ' '{print $2}' | grep -v '^soak' | sort)
[ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after"); fail "the soak left links"; }
for w in $(seq 0 $((workers - 1))); do for s in 0 1; do
  [ -z "$(ip -n "w${w}s$s" -o link show | grep -v ': lo:')" ] || fail "w${w}s$s still has links"
done; done
if nft list table inet nsnet >/dev/null 2>&1; then
  nft list table inet nsnet | grep -q 'comment "soak[0-9]/' && fail "the soak left firewall elements"
fi
echo PASS
