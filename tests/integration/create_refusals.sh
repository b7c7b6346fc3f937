#!/usr/bin/env bash
# `nsnet create` refuses clearly and leaves everything as it was: an existing
# name, an address in use, outside the subnet, a colliding host route, a bad
# name or CIDR, and a failure injected midway (a --bridge that is no bridge).
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"

before=$(snapshot)
# A failure midway: the netns is made, then the bridge step fails.
ip link add notabridge type veth peer name notabridge-p
before_dummy=$(snapshot)
expect_fail "bridge that is not a bridge" "notabridge exists and is not a bridge" \
  "$NSNET" create web9 --bridge notabridge
[ "$(snapshot)" = "$before_dummy" ] || fail "failed create left: $(diff <(echo "$before_dummy") <(snapshot))"
# A failure later: bridge made, address leased, gateway added, then the route check fails.
ip link add other0 type veth peer name other0-p
ip link set other0 up; ip link set other0-p up
ip route add 10.0.0.0/16 dev other0
before_route=$(snapshot)
expect_fail "subnet colliding with a host route" "collides with the host route 10.0.0.0/16 dev other0" \
  "$NSNET" create web9 10.0.0.9/24
[ "$(snapshot)" = "$before_route" ] || fail "failed create left: $(diff <(echo "$before_route") <(snapshot))"
ip route del 10.0.0.0/16 dev other0
ip link del other0
ip link del notabridge
[ "$(snapshot)" = "$before" ] || fail "cleanup of the test itself failed"

"$NSNET" create web1 10.0.0.2/24
first=$("$NSNET" show web1 --json)
expect_fail "existing name" "'web1' already exists" "$NSNET" create web1 10.0.0.5/24
expect_fail "address in use" "10.0.0.2 is in use by container 'web1'" "$NSNET" create web2 10.0.0.2/24
expect_fail "address outside the subnet" "10.0.1.2 is outside the subnets of network nsnet" \
  "$NSNET" create web2 10.0.1.2/24
expect_fail "prefix not the subnet's" "does not match the prefix of subnet 10.0.0.0/24" \
  "$NSNET" create web2 10.0.0.7/16
expect_fail "the gateway address" "is the gateway" "$NSNET" create web2 10.0.0.1/24
expect_fail "bad name" "must not contain '/'" "$NSNET" create a/b
expect_fail "bad name" "not a valid namespace name" "$NSNET" create ..
expect_fail "bad CIDR" "'10.0.0.300/24' is not a CIDR" "$NSNET" create web2 10.0.0.300/24
expect_fail "bad CIDR" "prefix length '33'" "$NSNET" create web2 10.0.0.3/33
expect_fail "unknown network" "network 'nope' not found" "$NSNET" create web2 --network nope
expect_fail "unknown option" "unknown option '--color'" "$NSNET" create web2 --color
expect_fail "bad mtu" "--mtu wants a non-negative number" "$NSNET" create web2 --mtu x
[ ! -e /run/netns/web2 ] || fail "a refused create left /run/netns/web2"
[ "$("$NSNET" show web1 --json)" = "$first" ] || fail "the refusals changed web1"

# Names are names, never paths; any iproute2-valid name works.
touch /run/keep-me
expect_fail "a path given to delete" "must not contain '/'" "$NSNET" delete /run/keep-me
expect_fail "a path given to exec" "must not contain '/'" "$NSNET" exec /run/keep-me -- true
[ -e /run/keep-me ] || fail "delete removed a file named by path"
"$NSNET" create "my db" >/dev/null
ip netns exec "my db" ip -br addr show eth0 | grep 10.0.0 >/dev/null || fail "'my db' not attached"
"$NSNET" delete "my db"

# A stale entry (a plain file in /run/netns) is reported with the remedy.
touch /run/netns/stale1
expect_fail "stale entry" "stale entry" "$NSNET" create stale1
"$NSNET" list | grep -E '^stale1 .*stale entry' >/dev/null || fail "list does not flag stale1"
"$NSNET" delete stale1
[ ! -e /run/netns/stale1 ] || fail "delete left the stale entry"

"$NSNET" delete web1
[ "$(snapshot)" = "$before" ] || fail "delete left: $(diff <(echo "$before") <(snapshot))"
echo "ok: refusals left nothing behind"
