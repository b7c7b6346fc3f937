#!/usr/bin/env bash
# Exit codes and 128+signal propagate; signals sent to `nsnet run` reach the
# program; with --init, PID 1 forwards signals and reaps orphans.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs)
# An array, not a function: `$!` must be the launcher itself, not a subshell.
run=("$NSNET" run sig --net none --rootfs "$ROOT")
run() { "${run[@]}" "$@"; }

expect_eq "exit code" 42 "$(status_of run -- /bin/sh -c 'exit 42')"
expect_eq "128+signal with --init" 138 "$(status_of run --init -- /bin/sh -c 'kill -USR1 $$')"

# Without --init the program is PID 1, which the kernel shields from signals
# it has no handler for, but SIGKILL from outside still ends it: 137.
"${run[@]}" -- /bin/sleep 30 & launcher=$!
for _ in $(seq 200); do [ -e /run/nsnet/run/sig/state.json ] && break; sleep 0.1; done
pid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' /run/nsnet/run/sig/state.json)
kill -KILL "$pid"
rc=0; wait $launcher || rc=$?
expect_eq "128+SIGKILL" 137 "$rc"

# A signal to `nsnet run` reaches the program's handler.
for sig in TERM HUP USR1; do
  "${run[@]}" -- /bin/sh -c "trap 'echo got-$sig; exit 0' $sig; echo ready; while :; do sleep 0.1; done" \
    >"$WORK/out" & launcher=$!
  for _ in $(seq 200); do grep -q ready "$WORK/out" 2>/dev/null && break; sleep 0.1; done
  kill -"$sig" $launcher
  rc=0; wait $launcher || rc=$?
  expect_eq "SIG$sig handled, exit 0" 0 "$rc"
  expect_contains "SIG$sig reached the program" "got-$sig" "$(cat "$WORK/out")"
done

# --init: TERM reaches a program without a handler (it is not PID 1).
"${run[@]}" --init -- /bin/sh -c 'echo ready; exec sleep 30' >"$WORK/out" & launcher=$!
for _ in $(seq 200); do grep -q ready "$WORK/out" 2>/dev/null && break; sleep 0.1; done
kill -TERM $launcher
rc=0; wait $launcher || rc=$?
expect_eq "--init forwards TERM to a program without a handler" 143 "$rc"

# --init reaps orphans: a daemonized child's zombie does not stay.
out=$(run --init -- /bin/sh -c '(sleep 0.2 &) ; sleep 1; ps -o stat,comm | grep -c "^Z" || true')
expect_eq "no zombies under --init" 0 "$out"
expect_no_leftovers sig
echo PASS
