#!/usr/bin/env bash
# One host IP per namespace: two containers both listen on 25, each published
# on port 25 of its own host address, and each sends from that address.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"

make_outside
make_bridge
ip addr add 203.0.113.10/24 dev ext0
ip addr add 203.0.113.11/24 dev ext0
make_container mx1 2
make_container mx2 3
bg ip netns exec mx1 python3 "$TOOLS/smtp_banner.py" mx1 25
bg ip netns exec mx2 python3 "$TOOLS/smtp_banner.py" mx2 25
bg ip netns exec outside python3 "$TOOLS/smtp_banner.py" peer 25
wait_listen mx1 25; wait_listen mx2 25; wait_listen outside 25

"$FWDRIVER" add "$(record mx1 2 '[{"hostPort":25,"containerPort":25}]' 203.0.113.10)"
"$FWDRIVER" add "$(record mx2 3 '[{"hostPort":25,"containerPort":25}]' 203.0.113.11)"

out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.10 25)
expect "$out" "220 mx1 ESMTP client=203.0.113.2" "203.0.113.10:25"
out=$(ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.11 25)
expect "$out" "220 mx2 ESMTP client=203.0.113.2" "203.0.113.11:25"
# Bound to its host IP only: the host's main address does not publish 25.
if PROBE_TIMEOUT=3 ip netns exec outside python3 "$TOOLS/probe.py" tcp 203.0.113.1 25 2>/dev/null; then
  fail "port 25 answered on 203.0.113.1, which publishes nothing"
fi

out=$(ip netns exec mx1 python3 "$TOOLS/probe.py" tcp 203.0.113.2 25)
expect "$out" "220 peer ESMTP client=203.0.113.10" "egress of mx1 SNATed to its host IP"
out=$(ip netns exec mx2 python3 "$TOOLS/probe.py" tcp 203.0.113.2 25)
expect "$out" "220 peer ESMTP client=203.0.113.11" "egress of mx2 SNATed to its host IP"
echo ok
