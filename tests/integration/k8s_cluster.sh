#!/usr/bin/env bash
# A simulated three-node Kubernetes cluster on nsnet, host-gw routing:
#
#   underlay bridge 198.51.100.0/24, and on it
#     node1..3  netns, eth0 198.51.100.K, pod subnet 10.244.K.0/24, each with
#               its own nsnet state and config (NSNET_STATE_DIR/_CNI_CONF_DIR)
#     outside   netns, 198.51.100.254 and 203.0.113.10: "the internet"; it
#               has no route to the pod subnets, so pods reach it only
#               masqueraded
#   pod netns (ip netns add) attached by the plugin run inside its node
#   (ip netns exec nodeK nsnet, CNI env, the DaemonSet's network config with
#   the node's podCIDR), two per node.
#
# Checks: the full pod-to-pod matrix across nodes, with each listener seeing
# the client pod's own address; pods reach outside as their node's address;
# a hostPort reaches its pod from outside; after the node list loses node3,
# exactly the pairs with node3's pods are cut off; DEL cleans up.
set -euo pipefail
: "${NSNET:?}" "${NSNET_SRC:?}"
source "$NSNET_SRC/tests/lib.sh"

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

nodes=(1 2 3)
pods=(a b)
port=8080

# The peer: "serve PORT" answers each connection with the client's address;
# "ask HOST PORT [TIMEOUT]" prints the answer (exit 1 if no connection in
# TIMEOUT seconds, default 20).
cat >"$work/peer.py" <<'EOF'
import socket, sys
if sys.argv[1] == "serve":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    s.listen(64)
    print("ready", flush=True)
    while True:
        c, addr = s.accept()
        c.sendall(addr[0].encode())
        c.close()
else:
    try:
        timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 20
        c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=timeout)
        print(c.recv(64).decode())
    except OSError as e:
        print(f"no connection: {e}", file=sys.stderr)
        sys.exit(1)
EOF
serve() {  # serve NETNS: start a peer listening on $port in NETNS
  ip netns exec "$1" python3 "$work/peer.py" serve "$port" >"$work/serve-$1" &
  pids+=($!)
  wait_for 30 "peer in $1 did not start" grep -q ready "$work/serve-$1"
}
ask() {  # ask NETNS HOST [PORT [TIMEOUT]]
  ip netns exec "$1" python3 "$work/peer.py" ask "$2" "${3:-$port}" ${4:+"$4"} 2>/dev/null
}

# --- the underlay, outside and the nodes
ip link add underlay type bridge
ip link set underlay up
attach_underlay() {  # attach_underlay NETNS ADDRESS
  ip link add "u-$1" type veth peer name eth0 netns "$1"
  ip link set "u-$1" master underlay up
  ip -n "$1" link set lo up
  ip -n "$1" link set eth0 up
  ip -n "$1" addr add "$2/24" dev eth0
}
ip netns add outside
attach_underlay outside 198.51.100.254
ip -n outside addr add 203.0.113.10/32 dev lo
serve outside

# The network config every node gets: the DaemonSet's, with the node's podCIDR.
python3 -c 'import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d["kind"] == "ConfigMap": print(d["data"]["nsnet.conflist"])' \
  "$NSNET_SRC/deploy/kubernetes/nsnet.yaml" >"$work/template.conflist"

for k in "${nodes[@]}"; do
  ip netns add node$k
  attach_underlay node$k 198.51.100.$k
  ip -n node$k route add default via 198.51.100.254
  mkdir -p "$work/node$k/state" "$work/node$k/net.d"
  jq --arg subnet 10.244.$k.0/24 \
    '.plugins[0].ipam.ranges = [[{subnet: $subnet}]] | .plugins[0].clusterCIDR = "10.244.0.0/16"' \
    "$work/template.conflist" >"$work/node$k/net.d/10-nsnet.conflist"
  # What a runtime passes on stdin: the plugin entry with the list's name and version.
  jq '.plugins[0] + {name, cniVersion}' "$work/node$k/net.d/10-nsnet.conflist" >"$work/node$k/plugin.json"
done

cni() {  # cni K COMMAND POD [RUNTIME-CONFIG]: the plugin, run in node K as a runtime would
  local k=$1 command=$2 pod=$3 rc=${4:-'{}'}
  jq --argjson rc "$rc" '. + {runtimeConfig: $rc}' "$work/node$k/plugin.json" |
    ip netns exec node$k env CNI_COMMAND="$command" CNI_CONTAINERID="id-$pod" \
      CNI_NETNS="/run/netns/$pod" CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni \
      NSNET_STATE_DIR="$work/node$k/state" NSNET_CNI_CONF_DIR="$work/node$k/net.d" "$NSNET"
}

# --- two pods per node; pod a of node 1 has hostPort 30080 (portMappings capability)
declare -A pod_ip
for k in "${nodes[@]}"; do
  for p in "${pods[@]}"; do
    pod=pod$k$p
    ip netns add "$pod"
    ip -n "$pod" link set lo up
    rc='{}'
    [ "$pod" != pod1a ] || rc='{"portMappings": [{"hostPort": 30080, "containerPort": 8080, "protocol": "tcp"}]}'
    cni $k ADD "$pod" "$rc" >"$work/$pod.result" || fail "ADD $pod: $(cat "$work/$pod.result")"
    pod_ip[$pod]=$(jq -r '.ips[0].address | split("/")[0]' "$work/$pod.result")
    [[ ${pod_ip[$pod]} == 10.244.$k.* ]] || fail "$pod got ${pod_ip[$pod]}, not from 10.244.$k.0/24"
    serve "$pod"
  done
done

# --- host-gw routes: each node syncs the same node list, self auto-detected
cat >"$work/nodes.json" <<EOF
{"nodes": [
  {"name": "node1", "address": "198.51.100.1", "podCIDR": "10.244.1.0/24"},
  {"name": "node2", "address": "198.51.100.2", "podCIDR": "10.244.2.0/24"},
  {"name": "node3", "address": "198.51.100.3", "podCIDR": "10.244.3.0/24"}]}
EOF
sync_nodes() {  # sync_nodes FILE K...: routes sync in nodes K...
  local file=$1 k
  shift
  for k in "$@"; do
    ip netns exec node$k "$NSNET" routes sync --nodes "$file" >/dev/null || fail "routes sync on node$k"
  done
}
sync_nodes "$work/nodes.json" "${nodes[@]}"

all_pods=()
for k in "${nodes[@]}"; do for p in "${pods[@]}"; do all_pods+=(pod$k$p); done; done
node_of() { echo "${1:3:1}"; }

# matrix CUT: every pod asks every other; pairs touching node CUT must fail,
# all others must succeed and see the client's own pod address.
matrix() {
  local cut=$1 from to seen ok=0 cutoff=0
  for from in "${all_pods[@]}"; do
    for to in "${all_pods[@]}"; do
      [ "$from" != "$to" ] || continue
      if [ "$(node_of "$from")" = "$cut" ] || [ "$(node_of "$to")" = "$cut" ]; then
        if [ "$(node_of "$from")" != "$(node_of "$to")" ]; then
          ! seen=$(ask "$from" "${pod_ip[$to]}" "$port" 1) || fail "$from reached $to across a removed route"
          cutoff=$((cutoff + 1))
          continue
        fi
      fi
      seen=$(ask "$from" "${pod_ip[$to]}") || fail "$from (${pod_ip[$from]}) cannot reach $to (${pod_ip[$to]})"
      [ "$seen" = "${pod_ip[$from]}" ] || fail "$to saw $from as $seen, not ${pod_ip[$from]}"
      ok=$((ok + 1))
    done
  done
  echo "matrix: $ok pairs connected with source preserved, $cutoff cut off"
}
matrix none

# Pods reach outside masqueraded: the listener sees the node's address.
for pod in "${all_pods[@]}"; do
  seen=$(ask "$pod" 203.0.113.10) || fail "$pod cannot reach outside"
  [ "$seen" = "198.51.100.$(node_of "$pod")" ] || fail "outside saw $pod as $seen, not its node's address"
done

# hostPort: outside reaches pod1a through node1's address, and pod1a sees
# the outside client's own address.
seen=$(ask outside 198.51.100.1 30080) || fail "hostPort 30080 on node1 not reachable from outside"
[ "$seen" = 198.51.100.254 ] || fail "pod1a saw the outside client as $seen"

# --- node3 leaves the node list: exactly its pods are cut off. (node3 itself
# is gone from the cluster: nothing syncs there.)
jq '.nodes |= map(select(.name != "node3"))' "$work/nodes.json" >"$work/two.json"
sync_nodes "$work/two.json" 1 2
[ -z "$(ip -n node1 route show 10.244.3.0/24)" ] || fail "node1 still routes to node3's pods"
matrix 3

# --- DEL removes the pods' interfaces and leases; a second DEL is a no-op
for k in "${nodes[@]}"; do
  for p in "${pods[@]}"; do
    cni $k DEL pod$k$p >/dev/null || fail "DEL pod$k$p"
    cni $k DEL pod$k$p >/dev/null || fail "second DEL pod$k$p"
    [ -z "$(ip -n pod$k$p -o link show type veth)" ] || fail "pod$k$p still has its veth"
  done
done

echo "k8s_cluster: ok"
