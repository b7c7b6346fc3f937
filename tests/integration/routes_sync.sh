#!/usr/bin/env bash
# `nsnet routes sync`: host-gw routes between three "nodes" (netns on an
# underlay bridge, 198.51.100.0/24). Each node holds the first address of its
# pod subnet on lo, so a ping from one subnet to another crosses the underlay
# only if both nodes route the other's subnet. Checks: install, idempotence,
# traffic, a node leaving, a gateway moving, a foreign route left alone and
# reported, an unreachable gateway failing alone, auto-detection of self.
set -euo pipefail
: "${NSNET:?}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

ip link add underlay type bridge
ip link set underlay up
for k in 1 2 3; do
  ip netns add node$k
  ip link add u$k type veth peer name eth0 netns node$k
  ip link set u$k master underlay up
  ip -n node$k link set lo up
  ip -n node$k link set eth0 up
  ip -n node$k addr add 198.51.100.$k/24 dev eth0
  ip -n node$k addr add 10.244.$k.1/32 dev lo
done

write_nodes() {  # write_nodes FILE K... : the nodes file listing nodes K...
  local file=$1 sep="" k
  shift
  { echo '{"nodes": ['
    for k in "$@"; do
      echo "$sep{\"name\": \"node$k\", \"address\": \"198.51.100.$k\", \"podCIDR\": \"10.244.$k.0/24\"}"
      sep=,
    done
    echo ']}'; } >"$file"
}
sync_node() {  # sync_node K FILE [ARGS...]: run sync in node K, self auto-detected
  local k=$1 file=$2
  shift 2
  ip netns exec node$k "$NSNET" routes sync --nodes "$file" "$@"
}
ours() { ip -n node$1 route show proto 110 | sort; }
reach() { ip netns exec node$1 busybox ping -c1 -W1 -I 10.244.$1.1 10.244.$2.1 >/dev/null 2>&1; }

write_nodes "$work/all.json" 1 2 3
for k in 1 2 3; do sync_node $k "$work/all.json" >/dev/null; done

[ "$(ours 1 | awk '{print $1, $3}')" = "10.244.2.0/24 198.51.100.2
10.244.3.0/24 198.51.100.3" ] || fail "node1 routes: $(ours 1)"
[ "$(ip -n node2 route show proto 110 | wc -l)" = 2 ] || fail "node2 routes: $(ours 2)"
for a in 1 2 3; do for b in 1 2 3; do
  [ $a = $b ] || reach $a $b || fail "10.244.$a.1 cannot reach 10.244.$b.1"
done; done

# Idempotent: a second run changes nothing.
out=$(sync_node 1 "$work/all.json")
grep -q "0 added, 0 removed, 2 unchanged" <<<"$out" || fail "second sync not idempotent: $out"

# Dry run reports and changes nothing.
write_nodes "$work/two.json" 1 2
out=$(sync_node 1 "$work/two.json" --dry-run)
grep -q "would remove 10.244.3.0/24 via 198.51.100.3" <<<"$out" || fail "dry run: $out"
[ "$(ours 1 | wc -l)" = 2 ] || fail "dry run changed routes: $(ours 1)"

# node3 leaves: only its route goes; node2 is still reached, node3 is not.
sync_node 1 "$work/two.json" >/dev/null
[ "$(ours 1 | awk '{print $1}')" = "10.244.2.0/24" ] || fail "after node3 left: $(ours 1)"
reach 1 2 || fail "node2 lost after node3 left"
! reach 1 3 || fail "node3 still reached after it left"
# Routes that are not ours are never touched: the underlay's connected route stays.
ip -n node1 route show | grep -q "198.51.100.0/24 dev eth0 proto kernel" || fail "connected route gone"

# A node's address changes: its route moves to the new gateway.
sed 's/"198.51.100.2"/"198.51.100.22"/' "$work/two.json" >"$work/moved.json"
sync_node 1 "$work/moved.json" >/dev/null
[ "$(ours 1 | awk '{print $1, $3}')" = "10.244.2.0/24 198.51.100.22" ] || fail "moved: $(ours 1)"

# A route to a pod subnet that someone else made is reported, not replaced;
# the other routes are still set and the exit status says something failed.
ip -n node1 route add 10.244.3.0/24 via 198.51.100.2
if sync_node 1 "$work/all.json" 2>"$work/err" >/dev/null; then fail "conflict not reported"; fi
grep -q "10.244.3.0/24.*did not make" "$work/err" || fail "conflict message: $(cat "$work/err")"
ip -n node1 route show 10.244.3.0/24 | grep -q "via 198.51.100.2 dev eth0 *$" \
  || fail "foreign route changed: $(ip -n node1 route show 10.244.3.0/24)"
[ "$(ours 1 | awk '{print $1, $3}')" = "10.244.2.0/24 198.51.100.2" ] || fail "after conflict: $(ours 1)"
ip -n node1 route del 10.244.3.0/24

# An unreachable gateway fails for that node alone.
cat >"$work/far.json" <<EOF
[{"name": "node1", "address": "198.51.100.1", "podCIDR": "10.244.1.0/24"},
 {"name": "node2", "address": "198.51.100.2", "podCIDR": "10.244.2.0/24"},
 {"name": "far", "address": "192.0.2.7", "podCIDR": "10.244.9.0/24"}]
EOF
if sync_node 1 "$work/far.json" 2>"$work/err" >/dev/null; then fail "unreachable gateway not reported"; fi
grep -q "node 'far'.*10.244.9.0/24 via 192.0.2.7" "$work/err" || fail "far message: $(cat "$work/err")"
[ "$(ours 1 | awk '{print $1}')" = "10.244.2.0/24" ] || fail "after far: $(ours 1)"

# Self must be found: a host with no listed address needs --self.
if ip netns exec node1 "$NSNET" routes sync --nodes <(echo '[{"name": "x", "address": "198.51.100.99"}]') \
     2>"$work/err"; then fail "unknown self accepted"; fi
grep -q -- "--self" "$work/err" || fail "self message: $(cat "$work/err")"

# A Kubernetes NodeList works as the nodes file, from stdin.
cat >"$work/nodelist.json" <<EOF
{"kind": "NodeList", "apiVersion": "v1", "items": [
 {"metadata": {"name": "node1"}, "spec": {"podCIDR": "10.244.1.0/24"},
  "status": {"addresses": [{"type": "InternalIP", "address": "198.51.100.1"}]}},
 {"metadata": {"name": "node3"}, "spec": {"podCIDR": "10.244.3.0/24"},
  "status": {"addresses": [{"type": "Hostname", "address": "node3"},
                           {"type": "InternalIP", "address": "198.51.100.3"}]}}]}
EOF
ip netns exec node1 "$NSNET" routes sync --nodes - <"$work/nodelist.json" >/dev/null
[ "$(ours 1 | awk '{print $1, $3}')" = "10.244.3.0/24 198.51.100.3" ] || fail "NodeList: $(ours 1)"
reach 1 3 || fail "node3 not reached after NodeList sync"
[ "$(ip netns exec node1 "$NSNET" routes list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["via"])')" \
  = 198.51.100.3 ] || fail "routes list --json"

echo "routes_sync: ok"
