#!/usr/bin/env bash
# The cgroup v2 path: clone3(CLONE_INTO_CGROUP), the cgroup namespace, cleanup
# and the missing-controller error. On a v2 host it runs on /sys/fs/cgroup; on
# a hybrid host on the (controller-less) v2 tree at /sys/fs/cgroup/unified.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
  export NSNET_CGROUP_ROOT=/sys/fs/cgroup
elif [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
  export NSNET_CGROUP_ROOT=/sys/fs/cgroup/unified
else
  skip "no cgroup v2 hierarchy on this host (v1 only)"
fi
echo "cgroup v2 at $NSNET_CGROUP_ROOT"
ROOT=$(make_rootfs)

"$NSNET" run v2 -d --net none --rootfs "$ROOT" --init -- /bin/sh -c 'cat /proc/self/cgroup; sleep 30' >/dev/null
pid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' /run/nsnet/run/v2/state.json)
group=$(ls -d "$NSNET_CGROUP_ROOT"/nsnet/v2.*)
grep -qx "$pid" "$group/cgroup.procs" || fail "init $pid is not in $group"
ok "born in its v2 cgroup ($group)"
expect_contains "ps shows the v2 cgroup" "/nsnet/v2." "$("$NSNET" ps)"
for _ in $(seq 200); do grep -q '^0::' /run/nsnet/logs/v2.log && break; sleep 0.1; done
expect_eq "the cgroup namespace makes it /" "0::/" "$(grep '^0::' /run/nsnet/logs/v2.log)"
"$NSNET" stop v2 -t 1 >/dev/null
[ ! -e "$group" ] || fail "$group left behind"
ok "v2 cgroup removed"
expect_no_leftovers v2

for c in memory pids cpu; do
  if ! grep -qw "$c" "$NSNET_CGROUP_ROOT/cgroup.controllers"; then
    flag=$(case $c in memory) echo --memory=64M ;; pids) echo --pids=10 ;; cpu) echo --cpus=1 ;; esac)
    err=$("$NSNET" run v2 --net none --rootfs "$ROOT" "$flag" -- /bin/true 2>&1) && fail "$flag accepted without the $c controller"
    expect_contains "missing $c controller named" "needs the cgroup v2 '$c' controller" "$err"
    expect_no_leftovers v2
  fi
done
echo PASS
