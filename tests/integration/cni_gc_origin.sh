#!/usr/bin/env bash
# CNI GC sweeps what runtimes attached and spares `nsnet create`'s, by the
# origin its record carries, not by the look of the netns path: a runtime
# that names the netns after the container (/run/netns/<container id>) gets
# its stale attachment collected all the same.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

"$NSNET" network create gcnet --subnet 10.95.0.0/24 --bridge gc0 >/dev/null
config=$(jq -c '{cniVersion: "1.1.0", name} + .plugins[0]' /etc/cni/net.d/gcnet.conflist)
gc_keeping_nothing() {
  cni GC "" "" "$(jq -c '.["cni.dev/valid-attachments"] = []' <<<"$config")"
  cni_ok "GC"
}
records=$STATE/networks/gcnet/attachments

ip netns add ctr1
cni ADD ctr1 /run/netns/ctr1 "$config"
cni_ok "ADD ctr1 (netns named after the container)"
jq -e '.origin == "cni"' "$records/ctr1+eth0.json" >/dev/null || fail "ctr1's record: $(cat "$records/ctr1+eth0.json")"
"$NSNET" create web1 --network gcnet >/dev/null
jq -e '.origin == "nsnet create"' "$records/web1+eth0.json" >/dev/null || fail "web1's record: $(cat "$records/web1+eth0.json")"

gc_keeping_nothing
ip netns exec ctr1 ip link show eth0 >/dev/null 2>&1 && fail "GC spared the runtime's ctr1"
[ -e "$records/ctr1+eth0.json" ] && fail "GC left ctr1's record"
ip netns exec web1 ip link show eth0 >/dev/null 2>&1 || fail "GC removed nsnet create's web1"
echo "ok: GC collected ctr1 and kept web1"

# A record written before "origin" existed: /run/netns/NAME for container NAME
# is taken for `nsnet create`'s, as it used to be.
jq 'del(.origin)' "$records/web1+eth0.json" >/run/web1.old && mv /run/web1.old "$records/web1+eth0.json"
gc_keeping_nothing
ip netns exec web1 ip link show eth0 >/dev/null 2>&1 || fail "GC removed web1 of an old record"
echo "ok: an old record of nsnet create is kept"

"$NSNET" delete web1
[ -z "$(ls -A "$records" 2>/dev/null)" ] || fail "records left: $(ls "$records")"
echo ok
