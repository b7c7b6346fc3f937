#!/usr/bin/env bash
# Port publishing through netlib/firewall on a hand-made topology: inbound with
# the client address preserved (v4 and v6), localhost, the host's own address,
# hairpin to itself and to a sibling, UDP with conntrack flush, unpublish,
# egress masquerade, idempotent remove.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"

make_outside
make_bridge
make_container c1 2
make_container c2 3
bg ip netns exec c1 python3 "$TOOLS/smtp_banner.py" c1 25 ::
bg ip netns exec c2 python3 "$TOOLS/smtp_banner.py" c2 25
bg ip netns exec c2 python3 "$TOOLS/udp_echo.py" c2 53
wait_listen c1 25; wait_listen c2 25; wait_listen c2 53 udp

c1=$(record c1 2 '[{"hostPort":2525,"containerPort":25,"protocol":"tcp"}]')
c2=$(record c2 3 '[{"hostPort":2526,"containerPort":25,"protocol":"tcp"}]')
"$FWDRIVER" add "$c1"
"$FWDRIVER" add "$c2"

out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 2525)
expect "$out" "220 c1 ESMTP client=203.0.113.2" "inbound v4 to c1"
out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 2526)
expect "$out" "220 c2 ESMTP client=203.0.113.2" "inbound v4 to c2"
out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 2001:db8::1 2525)
expect "$out" "220 c1 ESMTP client=2001:db8::2" "inbound v6 to c1"

out=$(python3 "$TOOLS/probe.py" tcp 127.0.0.1 2525)
expect "$out" "220 c1 ESMTP" "localhost publish"
[ "$(cat /proc/sys/net/ipv4/conf/nsnet0/route_localnet)" = 1 ] || fail "route_localnet not on for nsnet0"
[ "$(cat /proc/sys/net/ipv4/conf/all/route_localnet)" = 0 ] || fail "route_localnet turned on for all"
out=$(python3 "$TOOLS/probe.py" tcp 203.0.113.1 2526)
expect "$out" "220 c2 ESMTP client=203.0.113.1" "host to its own address"

out=$(ip netns exec c1 python3 "$TOOLS/probe.py" tcp 203.0.113.1 2525)
expect "$out" "220 c1 ESMTP" "hairpin to itself"
out=$(ip netns exec c1 python3 "$TOOLS/probe.py" tcp 203.0.113.1 2526)
expect "$out" "220 c2 ESMTP client=10.0.0.1" "hairpin to a sibling (masqueraded)"

# Not published: DNAT applies to the host's own addresses only.
if PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" tcp 10.0.0.3 2526 2>/dev/null; then
  fail "port 2526 answered on a container address"
fi

# UDP: a client that sent from port 40000 before the publish has a stale
# conntrack entry; publish flushes it, so its next datagram reaches c2. And
# unpublish flushes the DNATed entry, so it stops reaching c2.
PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" udp 203.0.113.1 5353 40000 2>/dev/null || true
"$FWDRIVER" publish "$c2" 5353:53/udp
out=$(ip netns exec outside python3 "$TOOLS/probe.py" udp 203.0.113.1 5353 40000)
expect "$out" "c2 client=203.0.113.2" "UDP publish"
"$FWDRIVER" unpublish "$c2" 5353:53/udp
if PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" udp 203.0.113.1 5353 40000 2>/dev/null; then
  fail "UDP port 5353 still answers after unpublish"
fi

# Egress: the outside peer sees the host's address.
bg ip netns exec outside python3 "$TOOLS/smtp_banner.py" peer 25 ::
wait_listen outside 25
out=$(ip netns exec c1 python3 "$TOOLS/probe.py" tcp 203.0.113.2 25)
expect "$out" "220 peer ESMTP client=203.0.113.1" "egress masquerade v4"
out=$(ip netns exec c1 python3 "$TOOLS/probe.py" tcp 2001:db8::2 25)
expect "$out" "220 peer ESMTP client=2001:db8::1" "egress masquerade v6"

# Remove is idempotent and leaves only the network's elements.
"$FWDRIVER" remove "$c1"
"$FWDRIVER" remove "$c1"
"$FWDRIVER" remove "$c2"
status=$("$FWDRIVER" status)
[[ "$status" != *"nsnet/c"* ]] || fail "elements left after remove: $status"
if PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 2525 2>/dev/null; then
  fail "port 2525 still published after remove"
fi
echo "ok"
