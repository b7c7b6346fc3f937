#!/usr/bin/env bash
# nsnet run -d, ps [--json], logs [-f], stop [-t]: a round trip that leaves
# no cgroup or state behind.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs)
ip netns add det1

out=$("$NSNET" run det1 -d --rootfs "$ROOT" --memory 64M --init -- \
      /bin/sh -c 'echo hello-from-det1; trap "echo got-term; exit 0" TERM; while :; do sleep 0.1; done')
expect_contains "run -d returns with the pid" "det1 started (pid" "$out"

table=$("$NSNET" ps)
expect_contains "ps lists it" "det1" "$table"
json=$("$NSNET" ps --json)
name=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["name"])' <<<"$json")
netns=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["netns"])' <<<"$json")
pid=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["pid"])' <<<"$json")
memory=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["memory_bytes"])' <<<"$json")
expect_eq "ps --json name" det1 "$name"
expect_eq "ps --json netns" det1 "$netns"
[ -d "/proc/$pid" ] || fail "ps pid $pid is not a process"
ok "ps pid is the container's init"
if cgroup_controller memory; then
  [ "$memory" -gt 0 ] || fail "ps memory use is $memory"
  ok "ps reports memory use ($memory bytes)"
fi
[ "$(readlink /proc/$pid/ns/net)" = "$(ip netns exec det1 readlink /proc/self/ns/net)" ] ||
  fail "container is not in netns det1"
ok "the container is in netns det1"

for _ in $(seq 200); do grep -q hello-from-det1 /run/nsnet/logs/det1.log && break; sleep 0.1; done
expect_contains "logs" hello-from-det1 "$("$NSNET" logs det1)"
"$NSNET" logs det1 -f >"$WORK/follow" & follower=$!
sleep 0.3
err=$("$NSNET" run det1 -d --rootfs "$ROOT" -- /bin/true 2>&1) && fail "a second det1 was started"
expect_contains "name in use is refused" "already running" "$err"

expect_eq "stop" "det1 stopped" "$("$NSNET" stop det1 -t 5)"
wait $follower
expect_contains "logs -f saw the TERM handler and ended" got-term "$(cat "$WORK/follow")"
expect_eq "ps is empty" 1 "$("$NSNET" ps | wc -l)"
expect_no_leftovers det1

# A program that ignores TERM is killed after -t.
"$NSNET" run stubborn -d --net none --rootfs "$ROOT" --init -- /bin/sh -c 'trap "" TERM; while :; do sleep 0.1; done' >/dev/null
start=$(date +%s)
expect_eq "stop falls back to KILL" "stubborn stopped (killed after 1s)" "$("$NSNET" stop stubborn -t 1)"
[ $(( $(date +%s) - start )) -lt 8 ] || fail "stop took too long"
expect_no_leftovers stubborn

# A detached start that fails is reported by the foreground.
err=$("$NSNET" run nosuch -d --rootfs "$ROOT" -- /bin/true 2>&1) && fail "missing netns accepted"
expect_contains "detached error reported" "does not exist" "$err"
err=$("$NSNET" run bad -d --net none --rootfs "$ROOT" -- /no/such 2>&1) && fail "missing program accepted"
expect_contains "detached exec failure reported" "could not be started" "$err"
err=$("$NSNET" stop nothere 2>&1) && fail "stop of a missing container succeeded"
expect_contains "stop of unknown name" "no running container named 'nothere'" "$err"
expect_no_leftovers bad
echo PASS
