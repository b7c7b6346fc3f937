#!/usr/bin/env bash
# nsnet first in a chain with the reference tuning, portmap and bandwidth
# plugins: each later plugin gets our result as prevResult and acts on the
# interfaces it names; CHECK and DEL go through the whole chain.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

before=$(host_state)
conf=/run/chain.conflist
cat >"$conf" <<'JSON'
{"cniVersion": "1.0.0", "name": "chain", "plugins": [
  {"type": "nsnet", "bridge": "nsnet-c0", "ipMasq": false, "capabilities": {"ips": true},
   "ipam": {"type": "nsnet", "ranges": [[{"subnet": "10.98.0.0/24"}]]}},
  {"type": "tuning", "mtu": 1400, "sysctl": {"net.ipv4.conf.eth0.arp_ignore": "1"}},
  {"type": "portmap", "capabilities": {"portMappings": true}},
  {"type": "bandwidth", "capabilities": {"bandwidth": true}}
]}
JSON
run() { "$NSNET_SRC/tests/cni_run.py" "$@"; }
ns=$(new_netns web)
rc='{"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}],
     "bandwidth": {"ingressRate": 100000000, "ingressBurst": 1000000, "egressRate": 100000000, "egressBurst": 1000000},
     "ips": ["10.98.0.50/24"]}'
result=$(run ADD "$conf" --id web --netns "$ns" --runtime-config "$rc") || fail "chain ADD: $result"
echo "result: $result"
jq -e '.cniVersion == "1.0.0" and (.ips[0].address == "10.98.0.50/24") and (.interfaces[.ips[0].interface].name == "eth0")' \
  <<<"$result" >/dev/null || fail "chain result lost our ips/interfaces: $result"
jq -e --arg ns "$ns" '[.interfaces[] | select(.sandbox == $ns)] | length == 1' <<<"$result" >/dev/null \
  || fail "chain result: container interface: $result"

# tuning acted on the interface our result named...
ip netns exec web ip link show eth0 | grep "mtu 1400" >/dev/null || fail "tuning did not set the MTU"
[ "$(ip netns exec web sysctl -n net.ipv4.conf.eth0.arp_ignore)" = 1 ] || fail "tuning sysctl not applied"
# ...portmap published the port to the address we leased...
iptables -t nat -S | grep -- "--dport 8080" >/dev/null || fail "portmap made no DNAT rule"
iptables -t nat -S | grep "10.98.0.50:80" >/dev/null || fail "portmap does not point at our address"
serve_tcp 80 hello-from-web ip netns exec web
[ "$(tcp_get 10.98.0.1 8080)" = hello-from-web ] || fail "published port 8080 does not reach the container"
# ...and bandwidth shaped the host veth we reported.
host_veth=$(jq -r '.interfaces[1].name' <<<"$result")
tc qdisc show dev "$host_veth" | grep tbf >/dev/null || fail "bandwidth put no tbf on $host_veth"

# CHECK with the chain's final result as prevResult: ours tolerates what
# tuning (MTU) and bandwidth (an ifb interface) changed. (portmap 1.1.1's own
# CHECK fails in a netns without ip6tables nat chains, so it is left out.)
run CHECK "$conf" --id web --netns "$ns" --runtime-config "$rc" --only nsnet,tuning,bandwidth \
  || fail "chain CHECK"
run DEL "$conf" --id web --netns "$ns" --runtime-config "$rc" || fail "chain DEL"
iptables -t nat -S | grep -- "--dport 8080" >/dev/null && fail "DEL left the portmap rule"
ip link show "$host_veth" >/dev/null 2>&1 && fail "DEL left $host_veth"
[ -z "$(leases)" ] || fail "DEL left leases: $(leases)"
kill %1 2>/dev/null || true
ip netns delete web

# nsnet after another plugin: its prevResult comes first in our result, and
# our ips[].interface points past its interfaces.
cat >/run/after.conflist <<'JSON'
{"cniVersion": "1.0.0", "name": "after", "plugins": [
  {"type": "loopback"},
  {"type": "nsnet", "bridge": "nsnet-a0", "ipam": {"type": "nsnet", "ranges": [[{"subnet": "10.95.0.0/24"}]]}}
]}
JSON
ns=$(new_netns second)
result=$(run ADD /run/after.conflist --id second --netns "$ns") || fail "ADD after loopback: $result"
echo "result: $result"
jq -e '.interfaces[0].name == "lo" and (.interfaces[.ips[-1].interface].name == "eth0")' <<<"$result" >/dev/null \
  || fail "prevResult not merged: $result"
run DEL /run/after.conflist --id second --netns "$ns" || fail "DEL after loopback"
ip netns delete second
[ "$(host_state)" = "$before" ] || { diff <(echo "$before") <(host_state); fail "host state changed"; }
echo "PASS"
