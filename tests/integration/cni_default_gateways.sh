#!/usr/bin/env bash
# Two networks with isDefaultGateway attached to one netns: each adds its
# default route (as the reference bridge does), the first attached stays in
# use for IPv4, CHECK passes for both, and detaching the first hands the
# default over to the second.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

net_config() {  # net_config NAME BRIDGE N: 10.9N.0.0/24 + fd9N::/64, default gateway
  jq -nc --arg name "$1" --arg br "$2" --arg n "$3" '{cniVersion: "1.1.0", name: $name,
    type: "nsnet", bridge: $br, isDefaultGateway: true,
    ipam: {type: "nsnet", ranges: [[{subnet: "10.9\($n).0.0/24"}], [{subnet: "fd9\($n)::/64"}]]}}'
}
a=$(net_config neta dga0 1); b=$(net_config netb dgb0 2)
ns=$(new_netns c1)

cni ADD c1 "$ns" "$a" eth0; cni_ok "ADD neta eth0"; ra=$OUT
cni ADD c1 "$ns" "$b" eth1; cni_ok "ADD netb eth1"; rb=$OUT
routes=$(ip -n c1 route show default; ip -n c1 -6 route show default)
for want in "via 10.91.0.1 dev eth0" "via 10.92.0.1 dev eth1" "via fd91::1 dev eth0" "via fd92::1 dev eth1"; do
  grep -q "$want" <<<"$routes" || fail "no default route $want in: $routes"
done
[ "$(ip -n c1 route get 198.51.100.7 | grep -o 'dev eth[01]')" = "dev eth0" ] \
  || fail "the first network's default route is not the one in use: $(ip -n c1 route get 198.51.100.7)"

check() {  # check CONFIG RESULT IFNAME WHAT
  cni CHECK c1 "$ns" "$(jq -c --argjson r "$2" '.prevResult = $r' <<<"$1")" "$3"
  cni_ok "$4"
}
check "$a" "$ra" eth0 "CHECK neta"
check "$b" "$rb" eth1 "CHECK netb (its default route is not the one in use)"

cni DEL c1 "$ns" "$a" eth0; cni_ok "DEL neta"
[ "$(ip -n c1 route get 198.51.100.7 | grep -o 'dev eth[01]')" = "dev eth1" ] \
  || fail "netb's default route did not take over: $(ip -n c1 route show default)"
check "$b" "$rb" eth1 "CHECK netb alone"
cni DEL c1 "$ns" "$b" eth1; cni_ok "DEL netb"
[ -z "$(ip -n c1 route show default)" ] || fail "default route left: $(ip -n c1 route show default)"
echo ok
