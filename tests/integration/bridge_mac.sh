#!/usr/bin/env bash
# The bridge keeps the MAC nsnet made it with while ports join. A bridge left
# to its default takes the lowest MAC of its ports, so a new container could
# change the gateway's MAC under the running ones, whose ARP caches then
# black-hole their traffic through the gateway for up to a minute (seen as
# publish_smtp timing out connecting out of mx1 under load).
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"

bridge_mac() { ip -o link show nsnet0 | grep -o 'link/ether [0-9a-f:]*'; }
reaches_gateway() { ip netns exec "$1" busybox ping -c1 -W2 10.0.0.1 >/dev/null || fail "$1 cannot reach its gateway $2"; }

"$NSNET" create a1 >/dev/null
mac=$(bridge_mac)
reaches_gateway a1 "after its create"
# A port with the lowest MAC there is: a bridge of default MAC would take it.
ip link add low0 address 00:00:00:00:00:01 type veth peer name low1
ip link set low0 master nsnet0 up
for i in 2 3 4 5; do
  "$NSNET" create "a$i" >/dev/null
  [ "$(bridge_mac)" = "$mac" ] || fail "the bridge's MAC changed from $mac to $(bridge_mac) when a$i joined"
  reaches_gateway a1 "after a$i joined"
done
echo "ok: bridge $mac kept its MAC and a1 its gateway"
for i in 1 2 3 4 5; do "$NSNET" delete "a$i"; done
