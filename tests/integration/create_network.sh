#!/usr/bin/env bash
# `nsnet create --network NET` on a dual-stack network made with `nsnet
# network create`: one address per family, v6 usable at once (no DAD wait),
# default routes for both families; the --bridge/--gateway/--mtu overrides.
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"

# The MTU defaults to that of the host's default-route interface.
ip link add up0 type veth peer name up0-p
ip link set up0 mtu 1450 up; ip link set up0-p up
ip addr add 198.51.100.2/24 dev up0
ip route add default via 198.51.100.1
before=$(snapshot)
"$NSNET" network create dual --subnet 10.20.0.0/24 --subnet fd00:20::/64 --bridge br-dual >/dev/null
"$NSNET" create d1 --network dual
"$NSNET" create d2 --network dual --mtu 1400
ip netns exec d1 ip -br addr show eth0 | grep -E '10\.20\.0\.2/24 fd00:20::2/64' >/dev/null \
  || fail "d1 lacks its two addresses: $(ip netns exec d1 ip -br addr show eth0)"
ip netns exec d1 ip -6 route | grep 'default via fd00:20::1 dev eth0' >/dev/null || fail "no v6 default route"
ip netns exec d2 ip -6 addr show eth0 | grep 'fd00:20::3.*tentative' && fail "v6 address still tentative"
[ "$(ip netns exec d2 cat /sys/class/net/eth0/mtu)" = 1400 ] \
  || fail "--mtu not applied"
[ "$(ip netns exec d1 cat /sys/class/net/eth0/mtu)" = 1450 ] || fail "MTU is not the default-route interface's"
ip -br addr show br-dual | grep 'fd00:20::1/64' >/dev/null || fail "v6 gateway not on the bridge"
[ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" = 1 ] || fail "v6 forwarding is off"

SERVE_BIND=:: serve_tcp 7070 "v6 ok" "$NSNET" exec d2 --
[ "$(tcp_get fd00:20::3 7070 ip netns exec d1)" = "v6 ok" ] || fail "d1 -> d2 over IPv6"
echo "ok: dual stack"

# Overrides of the default network.
"$NSNET" create o1 10.0.0.9/24 --bridge br-o --gateway 10.0.0.254
ip -br addr show br-o | grep 10.0.0.254/24 >/dev/null || fail "--gateway not on --bridge"
ip netns exec o1 ip route | grep 'default via 10.0.0.254' >/dev/null || fail "default route not via --gateway"
expect_fail "the same subnet on a second bridge" "collides with the host route 10.0.0.0/24 dev br-o" \
  "$NSNET" create w1
expect_fail "gateway outside the subnet" "outside the subnets" "$NSNET" create o2 --gateway 192.0.2.1

cleanup_jobs
"$NSNET" delete d1 d2 o1
"$NSNET" network rm dual >/dev/null
[ "$(snapshot)" = "$before" ] || fail "left: $(diff <(echo "$before") <(snapshot))"
echo "ok: overrides and delete"
