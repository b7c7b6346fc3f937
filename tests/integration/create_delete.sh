#!/usr/bin/env bash
# Two namespaces on the default network reach each other over TCP, the host
# reaches both; delete leaves no veth, no /run/netns entry, no lease.
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"

before=$(snapshot)
"$NSNET" create web1 10.0.0.2/24
"$NSNET" create web2 10.0.0.3/24

ip netns exec web1 ip -br addr show eth0 | grep '10.0.0.2/24' >/dev/null || fail "web1 lacks 10.0.0.2/24"
ip netns exec web1 ip route | grep 'default via 10.0.0.1 dev eth0' >/dev/null || fail "web1 lacks its default route"
ip -br addr show nsnet0 | grep '10.0.0.1/24' >/dev/null || fail "bridge lacks the gateway"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "forwarding is off"
veth=$("$NSNET" show web1 --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["attachment"]["hostVeth"])')
bridge -d link show dev "$veth" | grep 'master nsnet0' >/dev/null || fail "$veth is not on nsnet0"
bridge -d link show dev "$veth" | grep 'hairpin on' >/dev/null || fail "$veth lacks hairpin mode"

serve_tcp 8080 "hello from web1" "$NSNET" exec web1 --
serve_tcp 8081 "hello from web2" "$NSNET" exec web2 --
[ "$(tcp_get 10.0.0.3 8081 ip netns exec web1)" = "hello from web2" ] || fail "web1 -> web2"
[ "$(tcp_get 10.0.0.2 8080 ip netns exec web2)" = "hello from web1" ] || fail "web2 -> web1"
[ "$(tcp_get 10.0.0.2 8080)" = "hello from web1" ] || fail "host -> web1"
[ "$(tcp_get 10.0.0.3 8081)" = "hello from web2" ] || fail "host -> web2"
echo "ok: TCP between web1, web2 and the host"

"$NSNET" list | grep -E '^web1 +nsnet +nsnet0 +10.0.0.2/24' || fail "list does not show web1"
"$NSNET" list --json | "$PY" -c 'import json,sys; l=json.load(sys.stdin); assert [e["name"] for e in l] == ["web1","web2"], l'
"$NSNET" show web2 | grep '10.0.0.3/24' >/dev/null || fail "show does not show the address"
"$NSNET" show web2 --json | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
assert j["attachment"]["network"] == "nsnet", j
assert any(r["dst"] == "default" and r["gw"] == "10.0.0.1" for r in j["routes"]), j
assert any("10.0.0.3/24" in i["addresses"] for i in j["interfaces"]), j'

"$NSNET" show web2 | grep 'attachment intact' >/dev/null || fail "show does not report web2 intact"
ip netns exec web2 ip route del default
"$NSNET" show web2 | grep 'PROBLEM: .*route 0.0.0.0/0 via 10.0.0.1 is missing' >/dev/null \
  || fail "show does not report the missing route: $("$NSNET" show web2)"

cleanup_jobs
"$NSNET" delete web1 web2
after=$(snapshot)
[ "$before" = "$after" ] || fail "delete left something behind: $(diff <(echo "$before") <(echo "$after"))"
# Deleting again: nothing left of either name.
expect_fail "delete of a name that is gone" "no network namespace 'web1'" "$NSNET" delete web1
echo "ok: delete restored the host"
