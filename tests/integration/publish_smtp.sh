#!/usr/bin/env bash
# The acceptance scene: two namespaces each running an SMTP server on port 25,
# published as host ports 2525 and 2526, answer swaks in the outside netns,
# each with its own banner and each seeing the client's real address. Then
# the same two on port 25 of two host IPs, each sending from its own.
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"
command -v swaks >/dev/null || { echo "SKIP: swaks not installed"; exit 77; }

make_outside
"$NSNET" create mx1 10.0.0.2/24 -p 2525:25
"$NSNET" create mx2 10.0.0.3/24 -p 2526:25
bg ip netns exec mx1 python3 "$TOOLS/smtp_banner.py" mx1 25
bg ip netns exec mx2 python3 "$TOOLS/smtp_banner.py" mx2 25
wait_listen mx1 25; wait_listen mx2 25

smtp() {  # smtp SERVER PORT [NETNS]: one full SMTP transaction by swaks
  ip netns exec "${3:-outside}" swaks --server "$1" --port "$2" --from a@example.org \
    --to postmaster@example.org --body "hello" 2>&1
}
out=$(smtp 203.0.113.1 2525)
expect "$out" "220 mx1 ESMTP client=203.0.113.2" "swaks to host port 2525"
expect "$out" "250 queued by mx1" "mail accepted by mx1"
out=$(smtp 203.0.113.1 2526)
expect "$out" "220 mx2 ESMTP client=203.0.113.2" "swaks to host port 2526"
expect "$out" "250 queued by mx2" "mail accepted by mx2"
expect "$("$NSNET" show mx1)" "publishes host port 2525/tcp -> 25" "nsnet show lists the port"

# One host IP per namespace: both on port 25, each on its own address, and
# each sending from it.
ip addr add 203.0.113.10/24 dev ext0
ip addr add 203.0.113.11/24 dev ext0
"$NSNET" create mx3 10.0.0.4/24 --host-ip 203.0.113.10 -p 25:25
"$NSNET" create mx4 10.0.0.5/24 --host-ip 203.0.113.11 -p 25:25
bg ip netns exec mx3 python3 "$TOOLS/smtp_banner.py" mx3 25
bg ip netns exec mx4 python3 "$TOOLS/smtp_banner.py" mx4 25
bg ip netns exec outside python3 "$TOOLS/smtp_banner.py" peer 25
wait_listen mx3 25; wait_listen mx4 25; wait_listen outside 25
expect "$(smtp 203.0.113.10 25)" "220 mx3 ESMTP client=203.0.113.2" "swaks to 203.0.113.10:25"
expect "$(smtp 203.0.113.11 25)" "220 mx4 ESMTP client=203.0.113.2" "swaks to 203.0.113.11:25"
expect "$(smtp 203.0.113.2 25 mx3)" "220 peer ESMTP client=203.0.113.10" "mx3 sends from its host IP"
expect "$(smtp 203.0.113.2 25 mx4)" "220 peer ESMTP client=203.0.113.11" "mx4 sends from its host IP"
expect "$(smtp 203.0.113.2 25 mx1)" "220 peer ESMTP client=203.0.113.1" "mx1 is masqueraded"
echo ok
