#!/usr/bin/env bash
# deploy/kubernetes without a cluster:
#   1. the manifest passes the schema check (k8s_manifest_check.py), and that
#      check does fail on broken copies of it;
#   2. kubectl (if installed) renders the kustomization offline;
#   3. the DaemonSet's scripts, taken from its ConfigMap, do their job against
#      a stand-in API server: install-cni.sh installs a runnable nsnet and a
#      conflist with the node's podCIDRs; sync-routes.sh sets host-gw routes.
set -euo pipefail
: "${NSNET:?}" "${NSNET_SRC:?}"
# It mounts over /opt: only ever inside scripts/sandbox's private mount namespace.
[ "${NSNET_SANDBOX:-}" = 1 ] || { echo "k8s_manifests.sh: run it through scripts/sandbox" >&2; exit 1; }
source "$NSNET_SRC/tests/lib.sh"

deploy=$NSNET_SRC/deploy/kubernetes
check=$NSNET_SRC/tests/integration/k8s_manifest_check.py
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Schema check, and proof that it catches breakage.
python3 "$check" "$deploy/nsnet.yaml" || fail "the manifest does not pass the check"
broken() {  # broken NAME SED-SCRIPT: the check must reject the manifest so edited
  sed "$2" "$deploy/nsnet.yaml" >"$work/$1.yaml"
  ! cmp -s "$work/$1.yaml" "$deploy/nsnet.yaml" || fail "mutation $1 changed nothing"
  if python3 "$check" "$work/$1.yaml" >"$work/$1.out"; then fail "check accepted broken manifest: $1"; fi
}
broken wrong-sa 's/serviceAccountName: nsnet/serviceAccountName: nsnet-typo/'
broken unknown-volume '0,/- name: cni-bin/s//- name: cni-typo/'
broken no-portmappings 's/"portMappings": true/"portMappings": false/'
broken bad-yaml 's/^  selector:/ selector:/'
broken no-list-verb 's/verbs: \["get", "list"\]/verbs: ["get"]/'
broken typo-key 's/hostNetwork: true/hostNetwrk: true/'
broken missing-script 's|/etc/nsnet/sync-routes.sh|/etc/nsnet/sync.sh|'
broken bad-json 's/"ranges": \[\]}/"ranges": []/'
grep -q "serviceAccountName" "$work/wrong-sa.out" || fail "check message: $(cat "$work/wrong-sa.out")"

# 2. kubectl parses and renders it (needs no cluster).
if command -v kubectl >/dev/null; then
  kinds=$(KUBECONFIG=/dev/null kubectl kustomize "$deploy" | grep -c '^kind:')
  [ "$kinds" = 5 ] || fail "kubectl kustomize rendered $kinds objects, not 5"
else
  echo "note: kubectl not installed; skipped rendering with kubectl kustomize"
fi
for s in install-cni.sh sync-routes.sh; do
  python3 -c 'import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d["kind"] == "ConfigMap": print(d["data"][sys.argv[2]], end="")' \
    "$deploy/nsnet.yaml" "$s" >"$work/$s"
  sh -n "$work/$s" || fail "$s is not valid sh"
done
python3 -c 'import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d["kind"] == "ConfigMap": print(d["data"]["nsnet.conflist"], end="")' \
  "$deploy/nsnet.yaml" >"$work/template.conflist"

# 3. A stand-in for the API server: the Node objects, behind a bearer token.
mkdir -p "$work/api" "$work/sa"
echo -n secret-token >"$work/sa/token"
: >"$work/sa/ca.crt"
node_json() {  # node_json NAME ADDRESS [POD-CIDR...]
  local name=$1 address=$2 cidrs
  shift 2
  cidrs=$(printf '"%s",' "$@")
  echo "{\"kind\": \"Node\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"$name\"},
   \"spec\": {$( [ $# -gt 0 ] && echo "\"podCIDR\": \"$1\", \"podCIDRs\": [${cidrs%,}]")},
   \"status\": {\"addresses\": [{\"type\": \"InternalIP\", \"address\": \"$address\"}]}}"
}
node_json node1 198.51.100.1 10.244.1.0/24 >"$work/api/node1"
node_json node2 198.51.100.2 10.244.2.0/24 fd00:10:244:2::/64 >"$work/api/node2"
node_json fresh 198.51.100.9 >"$work/api/fresh"
cat >"$work/server.py" <<'EOF'
import http.server, json, os, sys
root, token = sys.argv[1], open(sys.argv[2]).read()
class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer " + token:
            return self.reply(401, {"kind": "Status", "code": 401})
        if self.path == "/api/v1/nodes":
            items = [json.load(open(os.path.join(root, n))) for n in sorted(os.listdir(root))]
            return self.reply(200, {"kind": "NodeList", "apiVersion": "v1", "items": items})
        name = self.path.removeprefix("/api/v1/nodes/")
        if "/" in name or not os.path.exists(os.path.join(root, name)):
            return self.reply(404, {"kind": "Status", "code": 404})
        self.reply(200, json.load(open(os.path.join(root, name))))
    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Api)
print(server.server_port, flush=True)
server.serve_forever()
EOF
python3 "$work/server.py" "$work/api" "$work/sa/token" >"$work/port" &
server_pid=$!
wait_for 30 "stand-in API server did not start" test -s "$work/port"
export KUBE_API=http://127.0.0.1:$(cat "$work/port") SA_DIR=$work/sa

# install-cni.sh with the default paths; the "host" is $work/host, mounted
# at /host in the pod. Its /opt is bound over this sandbox's own /opt (a
# private mount), so the installed wrapper finds /opt/cni/bin as on a node.
mkdir -p "$work/host/opt"
mount --bind "$work/host/opt" /opt
install_cni() {  # install_cni NODE
  NODE_NAME=$1 HOST_ROOT=$work/host CLUSTER_CIDR=10.244.0.0/16 NSNET_BIN=$NSNET \
    TEMPLATE=$work/template.conflist sh "$work/install-cni.sh"
}
install_cni node2 >/dev/null
conf=$work/host/etc/cni/net.d/10-nsnet.conflist
python3 - "$conf" <<'EOF' || fail "conflist: $(cat "$conf")"
import json, sys
plugin = json.load(open(sys.argv[1]))["plugins"][0]
assert plugin["ipam"]["ranges"] == [[{"subnet": "10.244.2.0/24"}], [{"subnet": "fd00:10:244:2::/64"}]], plugin
assert plugin["clusterCIDR"] == "10.244.0.0/16", plugin
assert plugin["capabilities"] == {"portMappings": True}, plugin
EOF
[ "$(cat "$work/host/run/nsnet/podcidr")" = "10.244.2.0/24
fd00:10:244:2::/64" ] || fail "podcidr file: $(cat "$work/host/run/nsnet/podcidr")"
# The installed plugin runs through its own loader and libraries.
[ "$("/opt/cni/bin/nsnet" --version)" = "$("$NSNET" --version)" ] || fail "installed nsnet does not run"
ls "/opt/cni/bin/"nsnet.d-*/libc.so.* >/dev/null || fail "libc not shipped with the plugin"
# and the libraries it loads on demand, with theirs.
for so in libnftables.so.1 libjansson.so.4 libnetfilter_conntrack.so.3; do
  ls "/opt/cni/bin/"nsnet.d-*/$so >/dev/null || fail "$so not shipped with the plugin"
done
# Again (a pod restart): same result, one library directory, no leftovers.
install_cni node2 >/dev/null
[ "$(ls -A "/opt/cni/bin" | wc -l)" = 2 ] || fail "leftovers: $(ls -A "/opt/cni/bin")"
[ "$(ls -A "$work/host/etc/cni/net.d")" = 10-nsnet.conflist ] || fail "leftovers: $(ls -A "$work/host/etc/cni/net.d")"
"/opt/cni/bin/nsnet" --version >/dev/null || fail "reinstalled nsnet does not run"
# A node without a podCIDR and a wrong token fail and say why.
if install_cni fresh 2>"$work/err" >/dev/null; then fail "node without podCIDR accepted"; fi
grep -q -- "--pod-network-cidr" "$work/err" || fail "no podCIDR message: $(cat "$work/err")"
echo -n wrong >"$work/sa/token"
if install_cni node2 2>"$work/err" >/dev/null; then fail "wrong token accepted"; fi
grep -q "cannot read Node node2" "$work/err" || fail "token message: $(cat "$work/err")"
echo -n secret-token >"$work/sa/token"

# sync-routes.sh, once: this sandbox is node1 on the underlay.
ip link add eth0 type veth peer name peer0
ip link set eth0 up
ip link set peer0 up
ip addr add 198.51.100.1/24 dev eth0
NODE_NAME=node1 SYNC_INTERVAL=0 NSNET_BIN=$NSNET sh "$work/sync-routes.sh" >/dev/null 2>"$work/err" \
  || fail "sync-routes.sh failed: $(cat "$work/err")"
grep -q "node 'node2' has no IPv6 address" "$work/err" || fail "no warning for node2's IPv6 subnet"
[ "$(ip route show proto 110 | awk '{print $1, $3}')" = "10.244.2.0/24 198.51.100.2" ] \
  || fail "routes after sync-routes.sh: $(ip route show proto 110)"

echo "k8s_manifests: ok"
