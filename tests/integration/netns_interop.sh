#!/usr/bin/env bash
# nsnet and iproute2 share named namespaces: `nsnet create` attaches a netns
# that `ip netns add` made, `ip netns exec` works in one nsnet made, and
# `nsnet exec` sees /etc/netns/NAME and the netns's own /sys.
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"

before=$(snapshot)
ip netns add legacy
"$NSNET" create legacy 10.0.0.20/24
ip netns exec legacy ip -br addr show eth0 | grep 10.0.0.20/24 >/dev/null || fail "legacy not attached"
"$NSNET" create fresh
ip netns list | grep -w fresh >/dev/null || fail "ip netns list does not show fresh"
ip netns exec fresh ip -br addr show eth0 | grep 10.0.0.2/24 >/dev/null || fail "ip netns exec fresh"

serve_tcp 7000 "from legacy" ip netns exec legacy
[ "$(tcp_get 10.0.0.20 7000 ip netns exec fresh)" = "from legacy" ] || fail "fresh -> legacy"

mkdir -p /etc/netns/fresh
echo "nameserver 198.51.100.53" >/etc/netns/fresh/resolv.conf
[ "$("$NSNET" exec fresh -- cat /etc/resolv.conf)" = "nameserver 198.51.100.53" ] || fail "no /etc/netns bind"
[ "$("$NSNET" exec fresh -- ls /sys/class/net | sort | tr '\n' ' ')" = "eth0 lo " ] || fail "/sys not remounted"
"$NSNET" exec fresh -- sh -c 'exit 3' && fail "exit status lost" || [ $? = 3 ] || fail "exit status not 3"
rm -r /etc/netns/fresh

cleanup_jobs
ip netns delete legacy     # iproute2 deletes the namespace; nsnet cleans up the rest
"$NSNET" delete legacy
"$NSNET" delete fresh
ip netns list | grep . && fail "namespaces left"
[ "$(snapshot)" = "$before" ] || fail "left: $(diff <(echo "$before") <(snapshot))"
echo "ok: interop with ip netns"
