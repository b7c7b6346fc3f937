#!/usr/bin/env bash
# The README's main command as CI runs it (`scripts/demo --sandbox --count 3`;
# ctest's sandbox is the sandbox): three servers, each PASS with exactly its
# own mail, exit 0, and nothing of the demo left in the sandbox.
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"
"$NSNET" run --help >/dev/null 2>&1 || skip "this nsnet has no 'run' (the launcher, issue 5): the demo needs it"
before=$(snapshot)
rc=0
out=$("$NSNET_SRC/scripts/demo" --sandbox --count 3 2>&1) || rc=$?
echo "$out"
[ "$rc" = 0 ] || fail "scripts/demo exited $rc"
[ "$(grep -c '^  PASS mail[123]: ' <<<"$out")" = 3 ] || fail "not three PASS lines"
! grep -q 'FAIL' <<<"$out" || fail "a FAIL in the output"
grep -q 'host restored' <<<"$out" || fail "no host-restored line"
for k in 1 2 3; do
  grep -qE "^mail$k +10\.25\.0\.[0-9]+ +(\*:252$((5 + k))->25|-) +mail$k\.example\.test +[0-9]+/1 +mem 64M pids 32 +[1-9]" <<<"$out" \
    || fail "table row of mail$k is wrong"
done
[ "$(snapshot)" = "$before" ] || fail "left behind: $(diff <(echo "$before") <(snapshot))"
[ ! -e /run/nsnet-demo ] || fail "/run/nsnet-demo left behind"
[ -z "$("$NSNET" ps --json | tr -d '[] \n')" ] || fail "a container is still running"
echo PASS
