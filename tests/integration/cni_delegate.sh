#!/usr/bin/env bash
# ipam.type other than nsnet: delegated to that plugin through CNI_PATH
# (spec section 4): the reference host-local and static.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

data=/run/host-local
config=$(cni_config 1.0.0 ".ipam = {type: \"host-local\", dataDir: \"$data\",
  ranges: [[{subnet: \"10.97.0.0/24\", rangeStart: \"10.97.0.100\"}]], routes: [{dst: \"192.0.2.0/24\"}]}")
ns=$(new_netns d1)
cni ADD d1 "$ns" "$config"
cni_ok "ADD with host-local"
jq -e '.ips[0].address == "10.97.0.100/24" and .ips[0].gateway == "10.97.0.1" and .ips[0].interface == 2' \
  <<<"$OUT" >/dev/null || fail "host-local's address not in the result: $OUT"
[ -e "$data/testnet/10.97.0.100" ] || fail "host-local holds no lease: $(ls -R $data)"
ip netns exec d1 ip -o addr show eth0 | grep "inet 10.97.0.100/24" >/dev/null || fail "address not on eth0"
ip netns exec d1 ip route | grep "192.0.2.0/24 via 10.97.0.1" >/dev/null || fail "ipam route missing"
[ -z "$(leases)" ] || fail "the built-in IPAM was used too: $(leases)"

cni CHECK d1 "$ns" "$(jq -c --argjson r "$OUT" '.prevResult = $r' <<<"$config")"
cni_ok "CHECK with host-local"

# host-local's CNI_ARGS IP= reaches it through our environment.
CNI_ARGS="IP=10.97.0.150" cni ADD d2 "$(new_netns d2)" "$config"
cni_ok "ADD with host-local and CNI_ARGS IP"
jq -e '.ips[0].address == "10.97.0.150/24"' <<<"$OUT" >/dev/null || fail "IP= not honoured: $OUT"

cni DEL d1 "$ns" "$config"
cni_ok "DEL with host-local"
[ -e "$data/testnet/10.97.0.100" ] && fail "DEL did not release the host-local lease"
ip netns delete d1
cni DEL d1 "" "$config"
cni_ok "DEL again"

# A delegate's failure comes back as its error.
cni ADD d3 "$(new_netns d3)" "$(cni_config 1.0.0 '.ipam = {type: "no-such-ipam"}')"
cni_error "missing IPAM plugin" 7 "no-such-ipam"
cni ADD d3 /run/netns/d3 "$(cni_config 1.0.0 '.ipam = {type: "static", addresses: [{address: "10.96.0.9/24", gateway: "10.96.0.1"}]}')"
cni_ok "ADD with static"
jq -e '.ips[0].address == "10.96.0.9/24"' <<<"$OUT" >/dev/null || fail "static's address not in the result: $OUT"
cni DEL d3 /run/netns/d3 "$(cni_config 1.0.0 '.ipam = {type: "static", addresses: [{address: "10.96.0.9/24", gateway: "10.96.0.1"}]}')"
cni_ok "DEL with static"
echo "PASS"
