#!/usr/bin/env bash
# nsnet publish/unpublish/reconcile/doctor and the refusals: a host port
# another namespace publishes (owner named), one a host process listens on
# (process named), a --host-ip not on the host; localhost, hairpin and UDP
# through the command; reconcile after `nft flush ruleset`; delete leaves no
# element and no reservation.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"

make_outside
"$NSNET" create web1 10.0.0.2/24 -p 8080:80
"$NSNET" create web2 10.0.0.3/24
bg ip netns exec web1 python3 "$TOOLS/smtp_banner.py" web1 80
bg ip netns exec web2 python3 "$TOOLS/smtp_banner.py" web2 80
bg ip netns exec web2 python3 "$TOOLS/udp_echo.py" web2 53
wait_listen web1 80; wait_listen web2 80; wait_listen web2 53 udp

refused() {  # refused PATTERN CMD...: CMD must fail with PATTERN in its message
  local pattern=$1 out; shift
  if out=$("$@" 2>&1); then fail "'$*' succeeded; expected a refusal"; fi
  expect "$out" "$pattern" "refusal of '$*'"
}
refused "already published by nsnet/web1/eth0" "$NSNET" publish web2 8080:80
refused "already published by nsnet/web1/eth0" "$NSNET" create web3 10.0.0.4/24 -p 127.0.0.1:8080:80
[ ! -e /run/netns/web3 ] || fail "a refused create left /run/netns/web3"
bg python3 -m http.server --bind 127.0.0.1 9090
wait_listen host 9090
refused "in use by python3" "$NSNET" publish web2 9090:80
# (sock_diag finds IPv6 wildcard listeners and bound UDP sockets too)
bg python3 -m http.server --bind :: 9092
bg python3 -c 'import socket, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 9093)); time.sleep(600)'
wait_listen host 9092; wait_listen host 9093 udp
refused "in use by python3" "$NSNET" publish web2 9092:80
refused "in use by python3 (pid" "$NSNET" publish web2 9093:53/udp
refused "not an address of this host" "$NSNET" create web3 10.0.0.4/24 --host-ip 192.0.2.77
refused "bad port spec '80'" "$NSNET" publish web2 80

"$NSNET" publish web2 8081:80 5353:53/udp
expect "$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 8081)" "220 web2 ESMTP client=203.0.113.2" "published by nsnet publish"
expect "$(ip netns exec outside python3 "$TOOLS/probe.py" udp 203.0.113.1 5353)" "web2 client=203.0.113.2" "UDP"
expect "$(python3 "$TOOLS/probe.py" tcp 127.0.0.1 8080)" "220 web1 ESMTP" "localhost"
expect "$(ip netns exec web2 python3 "$TOOLS/probe.py" tcp 203.0.113.1 8080)" "220 web1 ESMTP client=10.0.0.1" "hairpin"
"$NSNET" unpublish web2 8081:80
if PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 8081 2>/dev/null; then
  fail "8081 still answers after unpublish"
fi

# A firewall reload wipes the table; doctor sees it, reconcile heals it.
nft flush ruleset
if PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 8080 2>/dev/null; then
  fail "8080 answered after nft flush ruleset (test is broken)"
fi
refused "run \`nsnet reconcile\`" "$NSNET" doctor
"$NSNET" reconcile
"$NSNET" reconcile
expect "$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 8080)" "220 web1 ESMTP client=203.0.113.2" "after reconcile"
"$NSNET" doctor >/dev/null || fail "doctor still unhappy after reconcile: $("$NSNET" doctor)"

# Delete leaves zero elements and zero reservations, even after a flush.
nft flush ruleset
"$NSNET" delete web1
"$NSNET" reconcile
"$NSNET" delete web2
elements=$(nft -j list table inet nsnet 2>/dev/null | grep -o '"elem"' | wc -l || true)
[ "$elements" = 0 ] || fail "$elements element lists left: $(nft list table inet nsnet)"
claims=$(find /run/nsnet/ports -name '*.json' 2>/dev/null)
[ -z "$claims" ] || fail "reservations left: $claims"
echo ok
