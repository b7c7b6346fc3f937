#!/usr/bin/env bash
# scripts/demo stops early, with a clear message and nothing made, when it
# cannot run cleanly; and a misdelivered mail is a FAIL with a non-zero exit.
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"
"$NSNET" run --help >/dev/null 2>&1 || skip "this nsnet has no 'run' (the launcher, issue 5): the demo needs it"
DEMO=$NSNET_SRC/scripts/demo

# refused DESCRIPTION PATTERN ARGS...: the demo fails with PATTERN, makes nothing.
refused() {
  local what=$1 pattern=$2 before; shift 2
  before=$(snapshot; ip route show table all)
  expect_fail "$what" "$pattern" "$@"
  [ "$(snapshot; ip route show table all)" = "$before" ] || fail "$what: something was made"
  [ ! -e /run/nsnet-demo ] || fail "$what: /run/nsnet-demo was made"
}

refused "not root" "must run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$DEMO"
refused "bad count" "must be a number from 1 to 100" "$DEMO" --count 0

ip link add taken0 type veth peer name taken1
ip link set taken0 up
ip route add 10.25.0.0/16 dev taken0
refused "subnet collision" "subnet 10.25.0.0/24 collides with the host route '10.25.0.0/16 dev taken0" "$DEMO"
ip link del taken0

ip netns add mail2
refused "existing namespace" "a network namespace mail2 exists already" "$DEMO"
ip netns del mail2

if "$NSNET" create --help | grep -q -- '-p, --publish'; then
  serve_tcp 2527 "someone else"
  refused "host port taken" "host port 2527 (for mail2) is already taken" "$DEMO"
  cleanup_jobs
else
  echo "skip part: this nsnet has no 'create -p' (port publishing)"
fi

# A swaks that delivers mail2's direct mail to mail1 instead: both must FAIL.
mkdir -p /tmp/misdeliver
cat >/tmp/misdeliver/swaks <<'SH'
#!/bin/bash
args=("$@")
if [[ " $* " == *"postmaster@mail2.example.test"* && " $* " == *" --port 25 "* ]]; then
  for i in "${!args[@]}"; do [ "${args[$i]}" = --server ] && args[$((i + 1))]=10.25.0.2; done
fi
exec /usr/bin/swaks "${args[@]}"
SH
chmod +x /tmp/misdeliver/swaks
rc=0
out=$(PATH=/tmp/misdeliver:$PATH "$DEMO" --count 3 2>&1) || rc=$?
echo "$out"
[ "$rc" != 0 ] || fail "misdelivery: the demo exited 0"
grep -q "FAIL mail1: holds other servers' mail: demo .* for mail2 via direct" <<<"$out" || fail "mail1 not FAIL"
grep -q "FAIL mail2: missing: demo .* for mail2 via direct" <<<"$out" || fail "mail2 not FAIL"
grep -q "PASS mail3" <<<"$out" || fail "mail3 not PASS"
grep -q "host restored" <<<"$out" || fail "misdelivery: not cleaned up"
echo PASS
