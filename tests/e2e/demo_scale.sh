#!/usr/bin/env bash
# The demo at scale: ten servers on port 25, each with its own host address
# (--host-ips: published on ADDR:25, egress SNAT from ADDR) and only its own mail.
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"
"$NSNET" run --help >/dev/null 2>&1 || skip "this nsnet has no 'run' (the launcher, issue 5): the demo needs it"
start=$SECONDS
rc=0
out=$("$NSNET_SRC/scripts/demo" --sandbox --count 10 --host-ips 2>&1) || rc=$?
echo "$out"
[ "$rc" = 0 ] || fail "scripts/demo --count 10 --host-ips exited $rc"
[ "$(grep -c '^  PASS mail[0-9]*: ' <<<"$out")" = 10 ] || fail "not ten PASS lines"
! grep -q 'FAIL' <<<"$out" || fail "a FAIL in the output"
[ -z "$(ls -A /run/netns)" ] || fail "namespaces left: $(ls /run/netns)"
echo "PASS: 10 servers in $((SECONDS - start))s"
