#!/usr/bin/env bash
# forceAddress, as the reference bridge: an address of the bridge in the
# gateway's subnet other than the gateway gives way to the gateway; without
# forceAddress it stays beside it; a failed ADD puts it back.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

config() {  # config BRIDGE FORCE
  jq -nc --arg br "$1" --argjson force "$2" '{cniVersion: "1.1.0", name: "fanet", type: "nsnet",
    bridge: $br, forceAddress: $force, ipam: {type: "nsnet", ranges: [[{subnet: "10.96.0.0/24"}]]}}'
}
bridge_with_old_address() {  # a bridge left with other addresses in the subnet
  ip link add "$1" type bridge
  ip addr add 10.96.0.254/24 dev "$1"
  ip addr add 10.96.0.253/16 dev "$1"
  ip addr add 192.0.2.1/24 dev "$1"   # not in the subnet: stays
  ip link set "$1" up
}
remove_bridge() { ip link del "$1"; }  # (its routes would shadow the next test bridge's)
addresses() { ip -4 -o addr show dev "$1" | awk '{print $4}' | sort | tr '\n' ' '; }

bridge_with_old_address fa0
ns=$(new_netns c1)
cni ADD c1 "$ns" "$(config fa0 true)"; cni_ok "ADD with forceAddress"
[ "$(addresses fa0)" = "10.96.0.1/24 192.0.2.1/24 " ] || fail "forceAddress: bridge has $(addresses fa0)"
ip netns exec c1 busybox ping -c1 -W2 10.96.0.1 >/dev/null || fail "gateway unreachable"
cni DEL c1 "$ns" "$(config fa0 true)"; cni_ok "DEL"
remove_bridge fa0

bridge_with_old_address fa1
ns=$(new_netns c2)
cni ADD c2 "$ns" "$(config fa1 false)"; cni_ok "ADD without forceAddress"
[ "$(addresses fa1)" = "10.96.0.1/24 10.96.0.253/16 10.96.0.254/24 192.0.2.1/24 " ] \
  || fail "without forceAddress: bridge has $(addresses fa1)"
cni DEL c2 "$ns" "$(config fa1 false)"; cni_ok "DEL"
remove_bridge fa1

# A failing ADD (its host port is taken: found late, after the gateway)
# restores what forceAddress removed.
other=$(jq -c '.name = "fbnet" | .bridge = "fb0" | .ipam.ranges[0][0].subnet = "10.94.0.0/24"
  | .runtimeConfig = {portMappings: [{hostPort: 2600, containerPort: 25, protocol: "tcp"}]}' <<<"$(config fb0 false)")
cni ADD c4 "$(new_netns c4)" "$other"; cni_ok "ADD c4 publishing 2600"
bridge_with_old_address fa2
before=$(addresses fa2)
ns=$(new_netns c3)
cni ADD c3 "$ns" "$(jq -c '.runtimeConfig = {portMappings: [{hostPort: 2600, containerPort: 25, protocol: "tcp"}]}' <<<"$(config fa2 true)")"
cni_error "ADD with forceAddress and a taken host port" 102 "already published"
[ "$(addresses fa2)" = "$before" ] || fail "a failed ADD left the bridge with $(addresses fa2), was $before"
echo ok
