#!/usr/bin/env bash
# Two launched servers in two named netns both bind port 25 and each answers
# with its own hostname (the point of nsnet: same port, many services).
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs)

# Two netns, each joined to the sandbox's host netns by a veth pair.
for i in 1 2; do
  ip netns add "srv$i"
  ip link add "h-srv$i" type veth peer name eth0 netns "srv$i"
  ip addr add "10.77.$i.1/24" dev "h-srv$i"
  ip link set "h-srv$i" up
  ip -n "srv$i" addr add "10.77.$i.2/24" dev eth0
  ip -n "srv$i" link set eth0 up
  ip -n "srv$i" link set lo up
  # -ll with -e: a persistent server answering every connection with its hostname.
  "$NSNET" run "srv$i" -d --rootfs "$ROOT" --hostname "mail$i" --memory 64M --pids 64 -- \
    nc -ll -p 25 -e hostname >/dev/null
done

answer() {  # answer IP: the first line a server at IP:25 sends
  local out=""
  for _ in $(seq 50); do
    out=$(busybox nc -w 2 "$1" 25 </dev/null 2>/dev/null || true)
    [ -n "$out" ] && break
    sleep 0.1
  done
  echo "$out"
}
expect_eq "server in srv1 answers as mail1" mail1 "$(answer 10.77.1.2)"
expect_eq "server in srv2 answers as mail2" mail2 "$(answer 10.77.2.2)"
expect_eq "both listen on port 25" "2" "$("$NSNET" ps --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

for i in 1 2; do "$NSNET" stop "srv$i" -t 2 >/dev/null; expect_no_leftovers "srv$i"; done
echo PASS
