#!/usr/bin/env bash
# Many launchers at once: each makes its cgroup below the shared parent
# nsnet/, and the last to leave removes that parent. A launcher that made the
# parent and is about to make its own child can lose the parent to another
# launcher's cleanup in between (seen once in ~750 runs before the fix in
# cgroupfs::make_dir); every run must still succeed and leave nothing.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
cgroup_controller pids || skip "no pids cgroup controller"

workers=6 runs=50
worker() {
  local w=$1 i
  for i in $(seq "$runs"); do
    "$NSNET" run "par$w-$i" --net none --pids 16 -- /bin/true 2>>"$WORK/errors" ||
      echo "par$w-$i" >>"$WORK/failed"
  done
}
for w in $(seq "$workers"); do worker "$w" & done
wait

[ ! -s "$WORK/failed" ] || fail "$(wc -l <"$WORK/failed") of $((workers * runs)) runs failed: $(sort "$WORK/errors" | uniq -c)"
ok "$((workers * runs)) parallel runs succeeded"
left=$(find /sys/fs/cgroup -maxdepth 12 -type d -path '*/nsnet/par*' 2>/dev/null || true)
[ -z "$left" ] || fail "cgroups left: $left"
ok "no cgroup left"
[ -z "$(ls /run/nsnet/run 2>/dev/null)" ] || fail "state left: $(ls /run/nsnet/run)"
ok "no state left"
echo PASS
