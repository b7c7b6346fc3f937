#!/usr/bin/env bash
# The portMappings capability handled by nsnet itself (no portmap plugin):
# runtimeConfig.portMappings are published with the client address
# preserved, a taken host port fails ADD naming its owner and leaves nothing
# behind, hostIP in the config gives the container its own egress address,
# and DEL and GC leave zero elements.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"
source "$NSNET_SRC/tests/nat_lib.sh"

make_outside
ip addr add 203.0.113.10/24 dev ext0
config=$(cni_config 1.1.0 '.hostIP = "203.0.113.10"')
with_ports() {  # with_ports JSON-LIST: the config as a runtime sends it for one container
  jq -c --argjson p "$1" '.runtimeConfig = {portMappings: $p}' <<<"$config"
}
# (container ids differ from the netns names, as with a runtime)
ns1=$(new_netns c1)
ns2=$(new_netns c2)
cni ADD ctr1 "$ns1" "$(with_ports '[{"hostPort": 2525, "containerPort": 25, "protocol": "tcp"}]')"
cni_ok "ADD c1 with a port mapping"
bg ip netns exec c1 python3 "$TOOLS/smtp_banner.py" c1 25
bg ip netns exec outside python3 "$TOOLS/smtp_banner.py" peer 25
wait_listen c1 25; wait_listen outside 25
out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.10 2525)
expect "$out" "220 c1 ESMTP client=203.0.113.2" "published through runtimeConfig.portMappings"
out=$(ip netns exec c1 python3 "$TOOLS/probe.py" tcp 203.0.113.2 25)
expect "$out" "220 peer ESMTP client=203.0.113.10" "egress from the config's hostIP"

before=$(host_state)
cni ADD ctr2 "$ns2" "$(with_ports '[{"hostPort": 2525, "containerPort": 25, "protocol": "tcp", "hostIP": "203.0.113.10"}]')"
cni_error "ADD with a taken host port" 102 "already published by testnet/ctr1/eth0"
[ "$(host_state)" = "$before" ] || fail "the refused ADD left something: $(diff <(echo "$before") <(host_state))"

cni DEL ctr1 "$ns1" "$(with_ports '[{"hostPort": 2525, "containerPort": 25, "protocol": "tcp"}]')"
cni_ok "DEL c1"
cni ADD ctr2 "$ns2" "$(with_ports '[{"hostPort": 2525, "containerPort": 25, "protocol": "udp"}]')"
cni_ok "ADD c2 after c1 is gone"
cni GC "" "" "$(jq -c '."cni.dev/valid-attachments" = []' <<<"$config")"
cni_ok "GC of everything"
left=$(nft -j list table inet nsnet | grep -o '"elem"' | wc -l || true)
[ "$left" = 0 ] || fail "elements left after DEL and GC: $(nft list table inet nsnet)"
echo ok
