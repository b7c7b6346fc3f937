#!/usr/bin/env bash
# cgroup limits on whichever cgroup version the machine has: an OOM kill is
# confined to the container and reported, a fork bomb stops at --pids, a
# value the kernel refuses is a clear error, and nothing is left behind.
# A controller the machine lacks skips that part (exit 77 if all are missing).
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs)
echo "cgroup: $(stat -f -c %T /sys/fs/cgroup) at /sys/fs/cgroup"
tested=0

if cgroup_controller memory; then
  rc=0
  err=$("$NSNET" run hog --net none --rootfs "$ROOT" --memory 32M -- /bin/sh -c 'tail /dev/zero' 2>&1) || rc=$?
  expect_eq "memory hog killed" 137 "$rc"
  expect_contains "launcher reports the OOM kill" "out of memory" "$err"
  expect_no_leftovers hog
  # The limit applies to the container, not the launcher: a small program fits.
  expect_eq "a program under the limit runs" fits \
    "$("$NSNET" run hog --net none --rootfs "$ROOT" --memory 32M -- /bin/echo fits)"
  tested=$((tested + 1))
else
  echo "skip part: no memory controller"
fi

if cgroup_controller pids; then
  # A failed fork ends a non-interactive shell, so the bomb runs in a subshell;
  # its sleeps stay (reparented to the shell, PID 1) and are counted after.
  out=$("$NSNET" run bomb --net none --rootfs "$ROOT" --pids 16 -- /bin/sh -c '
    (i=0; while [ $i -lt 64 ]; do sleep 30 & i=$((i+1)); done) 2>/dev/null
    cd /proc && set -- [0-9]*; echo $#' 2>&1 || true)
  count=$(tail -1 <<<"$out")
  [ -n "$count" ] && [ "$count" -ge 10 ] || fail "fork bomb did not run: $out"
  [ "$count" -le 16 ] || fail "fork bomb exceeded --pids 16: $count processes"
  ok "fork bomb stopped at the pids limit ($count processes)"
  expect_no_leftovers bomb
  tested=$((tested + 1))
else
  echo "skip part: no pids controller"
fi

if cgroup_controller cpu; then
  expect_eq "--cpus 0.5 accepted" ok "$("$NSNET" run cpu --net none --rootfs "$ROOT" --cpus 0.5 -- /bin/echo ok)"
  rc=0
  err=$("$NSNET" run cpu --net none --rootfs "$ROOT" --cpus 0.001 -- /bin/true 2>&1) || rc=$?
  [ "$rc" != 0 ] || fail "the kernel's refusal of --cpus 0.001 was not reported"
  expect_contains "refused limit named" "the kernel refused --cpus" "$err"
  expect_no_leftovers cpu
  tested=$((tested + 1))
else
  echo "skip part: no cpu controller"
fi

[ "$tested" -gt 0 ] || skip "none of the memory, pids and cpu cgroup controllers is available"
echo PASS
