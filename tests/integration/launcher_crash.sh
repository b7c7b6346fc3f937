#!/usr/bin/env bash
# Crash faults of the launcher: `nsnet run` SIGKILLed at each of its setup
# points (NSNET_FAULT_AT, see launcher/run.cpp and state.cpp), while the
# program runs, on the -d paths and after random delays, on cgroup v1 and on
# the v2 tree (NSNET_CGROUP_ROOT). After each kill the container's processes
# are gone (PDEATHSIG, or the go pipe's check), `nsnet ps` shows it dead,
# and `nsnet rm` (or the next run of the name) removes its cgroup and state;
# /proc/self/mountinfo is as before. Every cgroup made here is removed on
# exit, pass or fail.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs)
MARK=lcrash$$  # in every container name, so in every launcher's command line
launcher=""    # a background launcher not yet killed and reaped

remove_test_cgroups() {
  local dir _
  for dir in $(find /sys/fs/cgroup -depth -type d -path "*/nsnet/$MARK*" 2>/dev/null); do
    for _ in $(seq 50); do
      xargs -r kill -9 <"$dir/cgroup.procs" 2>/dev/null || true
      rmdir "$dir" 2>/dev/null && break
      sleep 0.1
    done
  done
  # The nsnet/ parents, as the launcher does: rmdir only removes them empty.
  find /sys/fs/cgroup -depth -type d -name nsnet -exec rmdir {} \; 2>/dev/null || true
}
on_exit() {
  local rc=$?
  [ -z "$launcher" ] || kill -9 "$launcher" 2>/dev/null || true
  remove_test_cgroups
  [ -z "$(find /sys/fs/cgroup -type d -path "*/nsnet/$MARK*" 2>/dev/null)" ] ||
    { echo "FAIL: cgroups of this test left behind" >&2; rc=1; }
  cleanup
  exit $rc
}
trap on_exit EXIT

modes=()
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
  modes+=(/sys/fs/cgroup)
else
  modes+=(v1)
  if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
    modes+=(/sys/fs/cgroup/unified)
  fi
fi

mounts_now() { awk '{print $5}' /proc/self/mountinfo | sort; }
baseline_mounts=$(mounts_now)
status_in_ps() { "$NSNET" ps | awk -v n="$1" '$1 == n {print $2}'; }
cgroups_of() { find /sys/fs/cgroup -type d -path "*/nsnet/$1.*" 2>/dev/null || true; }
# Processes whose command line holds NAME: its launcher, the container's
# init before exec, a program run with NAME as an argument.
procs_named() { grep -la "[${1:0:1}]${1:1}" /proc/[0-9]*/cmdline 2>/dev/null || true; }

# wait_gone NAME WHAT: no process of NAME's container survives its launcher.
wait_gone() {
  local name=$1 what=$2 _ dir left
  for _ in $(seq 100); do
    left=$(procs_named "$name")
    for dir in $(cgroups_of "$name"); do left+=$(cat "$dir/cgroup.procs" 2>/dev/null); done
    [ -z "$left" ] && return 0
    sleep 0.05
  done
  fail "$what: processes of $name outlived its launcher: $left"
}

# swept NAME WHAT: the state, cgroups and mounts of NAME are gone.
swept() {
  local name=$1 what=$2
  [ ! -e "/run/nsnet/run/$name" ] || fail "$what: state of $name left: $(ls -R "/run/nsnet/run/$name")"
  [ -z "$(cgroups_of "$name")" ] || fail "$what: cgroup of $name left: $(cgroups_of "$name")"
  [ "$(mounts_now)" = "$baseline_mounts" ] ||
    fail "$what: mounts changed: $(diff <(echo "$baseline_mounts") <(mounts_now) || true)"
  [ -z "$(status_in_ps "$name")" ] || fail "$what: ps still lists $name"
}

# after_kill NAME WHAT [maybe]: processes gone, ps says dead, rm sweeps it.
# With "maybe" (a random delay) the launcher may have died before claiming
# the name or after releasing it: then there is nothing to show.
after_kill() {
  local name=$1 what=$2 maybe=${3:-} status
  wait_gone "$name" "$what"
  status=$(status_in_ps "$name")
  if [ -n "$maybe" ] && [ -z "$status" ]; then
    swept "$name" "$what (nothing claimed)"
    return
  fi
  [ "$status" = dead ] || fail "$what: ps shows $name as '$status', not dead"
  "$NSNET" rm "$name" >/dev/null || fail "$what: nsnet rm $name failed"
  swept "$name" "$what"
}

n=0
long=(/bin/sh -c "sleep 300")
# run_killed_at STEP MODE PROGRAM...: one foreground run killed at STEP.
run_killed_at() {
  local step=$1 mode=$2 rc=0; shift 2
  n=$((n + 1))
  local name=$MARK-$n what="trial $n ($mode): killed at $step"
  local -a opts=(--net none --rootfs "$ROOT")
  if [ $((n % 2)) = 0 ]; then opts+=(--init); fi
  if [ "$mode" = v1 ] && cgroup_controller pids; then opts+=(--pids 32); fi
  NSNET_FAULT_AT=$step timeout 30 "$NSNET" run "$name" "${opts[@]}" -- "$@" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 137 ] || fail "$what: exit $rc, the fault point was not reached"
  after_kill "$name" "$what"
}

for mode in "${modes[@]}"; do
  if [ "$mode" = v1 ]; then unset NSNET_CGROUP_ROOT; else export NSNET_CGROUP_ROOT=$mode; fi
  for step in run-claim run-record-write run-claimed run-cgroup run-cloned run-recorded run-go run-started; do
    run_killed_at "$step" "$mode" "${long[@]}"
  done
  # Reached only once the program exited by itself.
  for step in run-exited run-release; do run_killed_at "$step" "$mode" /bin/true; done

  # -d: the monitor killed before it claims the name: the foreground says so.
  n=$((n + 1)); name=$MARK-$n; what="trial $n ($mode): -d, monitor killed before claiming"
  NSNET_FAULT_AT=run-detach-monitor "$NSNET" run "$name" -d --net none --rootfs "$ROOT" -- "${long[@]}" \
    >/dev/null 2>&1 && fail "$what: the foreground reported success"
  wait_gone "$name" "$what"; swept "$name" "$what"

  # -d: the monitor killed as the program starts: the foreground reports it.
  n=$((n + 1)); name=$MARK-$n; what="trial $n ($mode): -d, monitor killed at run-started"
  NSNET_FAULT_AT=run-started "$NSNET" run "$name" -d --net none --rootfs "$ROOT" -- "${long[@]}" \
    >/dev/null 2>&1 && fail "$what: the foreground reported success"
  wait_gone "$name" "$what"
  err=$("$NSNET" stop "$name" 2>&1) && fail "$what: nsnet stop of a dead container succeeded"
  expect_contains "$what: stop points to rm" "nsnet rm $name" "$err"
  after_kill "$name" "$what"

  # -d: the foreground killed after forking: the container starts and runs
  # all the same; then its monitor is killed while it runs.
  n=$((n + 1)); name=$MARK-$n; what="trial $n ($mode): -d, foreground killed"
  rc=0
  NSNET_FAULT_AT=run-detach-forked "$NSNET" run "$name" -d --net none --rootfs "$ROOT" --init -- \
    "${long[@]}" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 137 ] || fail "$what: exit $rc, the fault point was not reached"
  for _ in $(seq 200); do [ "$(status_in_ps "$name")" = running ] && break; sleep 0.05; done
  expect_eq "$what: the container runs without its foreground" running "$(status_in_ps "$name")"
  monitor=$(sed -n 's/.*"monitor_pid": \([0-9]*\).*/\1/p' "/run/nsnet/run/$name/state.json")
  kill -9 "$monitor"
  after_kill "$name" "trial $n ($mode): -d, monitor killed while the program runs"

  # A killed launcher's name is taken again by the next run, which sweeps it.
  n=$((n + 1)); name=$MARK-$n; what="trial $n ($mode): run after a kill"
  NSNET_FAULT_AT=run-started "$NSNET" run "$name" --net none --rootfs "$ROOT" -- "${long[@]}" \
    >/dev/null 2>&1 && fail "$what: not killed"
  wait_gone "$name" "$what"
  old=$(cgroups_of "$name")
  [ -n "$old" ] || fail "$what: the killed launcher left no cgroup to sweep"
  expect_eq "$what: the name is free again" again \
    "$("$NSNET" run "$name" --net none --rootfs "$ROOT" -- /bin/echo again)"
  for dir in $old; do [ ! -e "$dir" ] || fail "$what: $dir of the killed launcher left"; done
  swept "$name" "$what"
done
echo "ok: $n trials at named points and on the -d paths"

# SIGKILL after random delays, foreground and detached monitor alike.
random_trials=${LAUNCHER_CRASH_TRIALS:-16}
for i in $(seq "$random_trials"); do
  mode=${modes[$((i % ${#modes[@]}))]}
  if [ "$mode" = v1 ]; then unset NSNET_CGROUP_ROOT; else export NSNET_CGROUP_ROOT=$mode; fi
  n=$((n + 1)); name=$MARK-$n
  delay=$(printf '0.%03d' $((RANDOM % 250)))
  opts=(--net none --rootfs "$ROOT")
  if [ $((i % 2)) = 0 ]; then opts+=(--init); fi
  if [ $((i % 4)) = 3 ]; then
    what="trial $n ($mode): -d, monitor killed ${delay}s after the start"
    "$NSNET" run "$name" -d "${opts[@]}" -- "${long[@]}" >/dev/null
    sleep "$delay"
    kill -9 "$(sed -n 's/.*"monitor_pid": \([0-9]*\).*/\1/p' "/run/nsnet/run/$name/state.json")"
    after_kill "$name" "$what"
  else
    what="trial $n ($mode): killed after ${delay}s"
    "$NSNET" run "$name" "${opts[@]}" -- "${long[@]}" >/dev/null 2>&1 &
    launcher=$!
    sleep "$delay"
    kill -9 "$launcher" 2>/dev/null || fail "$what: the launcher was not running"
    wait "$launcher" 2>/dev/null || true
    launcher=""
    after_kill "$name" "$what" maybe
  fi
done
unset NSNET_CGROUP_ROOT
echo "ok: $random_trials kills after random delays"
"$NSNET" rm --dead >/dev/null
expect_eq "ps lists nothing at the end" 1 "$("$NSNET" ps | wc -l)"
echo PASS
