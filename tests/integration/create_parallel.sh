#!/usr/bin/env bash
# 20 parallel `nsnet create` get 20 distinct addresses; parallel deletes
# leave nothing.
set -euo pipefail
. "$NSNET_SRC/tests/lib.sh"

before=$(snapshot)
pids=()
for i in $(seq 20); do "$NSNET" create "p$i" >"/run/create.$i" 2>&1 & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || fail "a parallel create failed: $(cat /run/create.*)"; done
addrs=$(for i in $(seq 20); do ip netns exec "p$i" ip -4 -o addr show eth0 | awk '{print $4}'; done | sort)
[ "$(wc -l <<<"$addrs")" = 20 ] || fail "not 20 addresses: $addrs"
[ "$(uniq <<<"$addrs" | wc -l)" = 20 ] || fail "duplicate addresses: $addrs"
echo "ok: 20 distinct addresses"
# Every one answers from its own stack.
for i in 1 20; do
  ip=$(ip netns exec "p$i" ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
  serve_tcp $((9000 + i)) "p$i" "$NSNET" exec "p$i" --
  [ "$(tcp_get "$ip" $((9000 + i)))" = "p$i" ] || fail "host -> p$i"
done
cleanup_jobs
pids=()
for i in $(seq 20); do "$NSNET" delete "p$i" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || fail "a parallel delete failed"; done
[ "$(snapshot)" = "$before" ] || fail "deletes left: $(diff <(echo "$before") <(snapshot))"
echo "ok: parallel deletes left nothing"
