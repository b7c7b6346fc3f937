#!/usr/bin/env bash
# The error table: each malformed call fails with its CNI code, prints one
# error object on stdout and nothing else, and changes nothing on the host.
# Then DEL's leniency: netns gone, no netns, never added.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

ns=$(new_netns c1)
config=$(cni_config 1.0.0)
before=$(host_state)

cni ADD c1 "$ns" '{"cniVersion": "1.0.0", "name": '
cni_error "bad JSON" 6 "not valid JSON"
cni ADD c1 "$ns" '[1, 2]'
cni_error "JSON that is not an object" 6 "JSON object"

set +e
OUT=$(env -u CNI_CONTAINERID CNI_COMMAND=ADD CNI_NETNS="$ns" "$CNI_BIN/nsnet" <<<"$config" 2>"$ERR_FILE")
RC=$?
set -e
cni_error "missing env" 4 "CNI_CONTAINERID, CNI_IFNAME"
cni ADD c1 "" "$config"
cni_error "ADD without CNI_NETNS" 4 "CNI_NETNS"
cni FROB c1 "$ns" "$config"
cni_error "unknown command" 4 "FROB"
cni ADD "c1/../x" "$ns" "$config"
cni_error "bad container id" 4 "CNI_CONTAINERID"
cni ADD c1 "$ns" "$config" "eth0:1"
cni_error "bad ifname" 4 "CNI_IFNAME"

cni ADD c1 "$ns" "$(cni_config 0.2.0)"
cni_error "unsupported version" 1 "0.2.0"
[ "$(jq -r .cniVersion <<<"$OUT")" = 1.1.0 ] || fail "error for an unsupported version not in our latest: $OUT"
cni ADD c1 "$ns" "$(cni_config 9.0.0)"
cni_error "future version" 1 "9.0.0"

cni ADD c1 "$ns" "$(cni_config 0.4.0 '.ipam.ranges[0][0].subnet = "10.99.0/24"')"
cni_error "bad subnet" 7 "ipam.ranges\[0\]\[0\].subnet"
[ "$(jq -r .cniVersion <<<"$OUT")" = 0.4.0 ] || fail "error not in the config's version: $OUT"
cni ADD c1 "$ns" "$(cni_config 1.0.0 '.ipMasq = "yes"')"
cni_error "bad boolean" 7 "ipMasq"
cni ADD c1 "$ns" "$(cni_config 1.0.0 'del(.ipam)')"
cni_error "no ipam" 7 "ipam"
cni ADD c1 "$ns" "$(cni_config 1.0.0 'del(.name)')"
cni_error "no name" 7 "name"
cni ADD c1 "$ns" "$(cni_config 1.0.0 '.vlan = 7')"
cni_error "unsupported field" 2 "'vlan' = 7"
CNI_ARGS="FOO=bar" cni ADD c1 "$ns" "$config"
cni_error "unknown CNI_ARGS key" 2 "'FOO' = 'bar'"
cni ADD c1 "$ns" "$(cni_config 1.0.0 '.runtimeConfig.ips = ["192.0.2.9"]')"
cni_error "static IP outside the network" 7 "192.0.2.9"
cni ADD c1 /run/netns/absent "$config"
[ "$RC" != 0 ] || fail "ADD into a missing netns succeeded"
cni CHECK c1 "$ns" "$config"
cni_error "CHECK without prevResult" 7 "prevResult"

[ "$(host_state)" = "$before" ] || { diff <(echo "$before") <(host_state); fail "a failed call changed the host"; }
grep -q '"code"' "$ERR_FILE" && fail "error JSON on stderr too"

# ADD refuses an interface name already taken in the netns, undoing everything.
ip netns exec c1 ip link add eth0 type veth peer name eth0peer
cni ADD c1 "$ns" "$config"
[ "$RC" != 0 ] || fail "ADD over an existing eth0 succeeded"
[ -z "$(leases)" ] || fail "refused ADD left leases: $(leases)"
ip netns exec c1 ip link del eth0

# DEL: of a container never added, without netns, after the netns is gone.
cni DEL never-added "" "$config"
cni_ok "DEL of a container never added"
cni ADD c1 "$ns" "$config"
cni_ok "ADD"
cni ADD c1 "$ns" "$config"
[ "$RC" != 0 ] || fail "second ADD of the same key succeeded"
ip netns delete c1
cni DEL c1 "$ns" "$config"
cni_ok "DEL after the netns is gone"
cni DEL c1 "" "$config"
cni_ok "DEL again without CNI_NETNS"
[ -z "$(leases)" ] || fail "DEL left leases: $(leases)"
ip -o link show | grep nsv >/dev/null && fail "DEL left a veth: $(ip -o link show)"
echo "PASS"
