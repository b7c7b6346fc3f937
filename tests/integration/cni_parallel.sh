#!/usr/bin/env bash
# 100 parallel ADDs on one network get 100 distinct addresses; 100 parallel
# DELs leave nothing.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

n=100
config=$(cni_config 1.1.0)
before=$(host_state)
for i in $(seq $n); do ip netns add "p$i"; done
for i in $(seq $n); do
  CNI_COMMAND=ADD CNI_CONTAINERID="p$i" CNI_NETNS="/run/netns/p$i" CNI_IFNAME=eth0 \
    "$CNI_BIN/nsnet" <<<"$config" >"/run/add.$i" 2>"/run/add.$i.err" &
done
failed=0
for job in $(jobs -p); do wait "$job" || failed=$((failed + 1)); done
[ "$failed" = 0 ] || { cat /run/add.*.err | sort | uniq -c | head; fail "$failed of $n ADDs failed"; }
distinct=$(cat /run/add.[0-9]* | jq -r '.ips[0].address' | sort -u | wc -l)
[ "$distinct" = $n ] || fail "$n ADDs got $distinct distinct addresses"
for i in $(seq $n); do
  ip netns exec "p$i" ip -o addr show eth0 | grep "$(jq -r '.ips[0].address' "/run/add.$i")" >/dev/null \
    || fail "p$i lacks its address"
done
echo "ok: $n parallel ADDs, $distinct distinct addresses"

for i in $(seq $n); do
  CNI_COMMAND=DEL CNI_CONTAINERID="p$i" CNI_NETNS="/run/netns/p$i" CNI_IFNAME=eth0 \
    "$CNI_BIN/nsnet" <<<"$config" >/dev/null 2>"/run/del.$i.err" &
done
failed=0
for job in $(jobs -p); do wait "$job" || failed=$((failed + 1)); done
[ "$failed" = 0 ] || fail "$failed of $n DELs failed: $(cat /run/del.*.err | head)"
for i in $(seq $n); do ip netns delete "p$i"; done
[ -z "$(leases)" ] || fail "DELs left leases: $(leases | head)"
[ "$(host_state)" = "$before" ] || { diff <(echo "$before") <(host_state); fail "host state changed"; }
echo "PASS"
