#!/usr/bin/env bash
# A full pool: ADD fails cleanly leaving nothing behind, STATUS says 50, and
# a DEL makes room again. Static addresses: requested, and taken.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

# 10.99.0.0/29: .1 is the gateway, .2-.6 are for containers.
config=$(cni_config 1.1.0 '.ipam.ranges[0][0].subnet = "10.99.0.0/29" | .promiscMode = true')
cni STATUS "" "" "$config"
cni_ok "STATUS of an empty pool"
for i in 2 3 4 5 6; do
  cni ADD "c$i" "$(new_netns "c$i")" "$config"
  cni_ok "ADD c$i"
done
ip link show nsnet-t0 | grep PROMISC >/dev/null || fail "promiscMode: bridge not promiscuous"
cni STATUS "" "" "$config"
cni_error "STATUS of a full pool" 50 "no free address"

before=$(host_state)
cni ADD c7 "$(new_netns c7)" "$config"
[ "$RC" != 0 ] || fail "ADD into a full pool succeeded: $OUT"
jq -e '.code and (.msg | test("10.99.0.0/29|no free|exhausted|full"; "i"))' <<<"$OUT" >/dev/null \
  || fail "full pool error does not say so: $OUT"
echo "ok: full pool: $OUT"
[ "$(host_state)" = "$before" ] || { diff <(echo "$before") <(host_state); fail "failed ADD changed the host"; }
ip netns exec c7 ip link show eth0 >/dev/null 2>&1 && fail "failed ADD left eth0 in c7"

cni DEL c4 /run/netns/c4 "$config"
cni_ok "DEL c4"
cni STATUS "" "" "$config"
cni_ok "STATUS after a DEL"
cni ADD c7 /run/netns/c7 "$config"
cni_ok "ADD c7 after a DEL"
jq -e '.ips[0].address == "10.99.0.4/29"' <<<"$OUT" >/dev/null || fail "c7 did not get the freed address: $OUT"

# Static addresses through the ips capability and CNI_ARGS.
cni DEL c5 /run/netns/c5 "$config"
cni DEL c6 /run/netns/c6 "$config"
cni ADD s1 "$(new_netns s1)" "$(jq -c '.runtimeConfig.ips = ["10.99.0.6/29"]' <<<"$config")"
cni_ok "ADD with runtimeConfig.ips"
jq -e '.ips[0].address == "10.99.0.6/29"' <<<"$OUT" >/dev/null || fail "ips capability ignored: $OUT"
CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAME=x;IP=10.99.0.5" cni ADD s2 "$(new_netns s2)" "$config"
cni_ok "ADD with CNI_ARGS IP"
jq -e '.ips[0].address == "10.99.0.5/29"' <<<"$OUT" >/dev/null || fail "CNI_ARGS IP ignored: $OUT"
cni ADD s3 "$(new_netns s3)" "$(jq -c '.runtimeConfig.ips = ["10.99.0.5"] | .runtimeConfig.mac = "02:aa:00:00:00:01"' <<<"$config")"
[ "$RC" != 0 ] || fail "a taken static address was given twice"
echo "ok: taken static address: $OUT"
cni DEL s2 /run/netns/s2 "$config"
cni_ok "DEL s2"
cni ADD s3 /run/netns/s3 "$(jq -c '.runtimeConfig.mac = "02:aa:00:00:00:01"' <<<"$config")"
cni_ok "ADD with the mac capability"
jq -e '.interfaces[2].mac == "02:aa:00:00:00:01"' <<<"$OUT" >/dev/null || fail "mac capability ignored: $OUT"
ip netns exec s3 ip link show eth0 | grep 02:aa:00:00:00:01 >/dev/null || fail "eth0 has not the requested MAC"
echo "PASS"
