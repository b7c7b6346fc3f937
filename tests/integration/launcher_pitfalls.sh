#!/usr/bin/env bash
# Launcher pitfalls of SECURITY.md not proved by the other launcher_* tests:
# the old root is gone after pivot_root, mounts are private before any
# change, ambient and inheritable capabilities the launcher was started with
# do not reach the program, the fds of init and program, the /dev/null check
# (on the host and, raced, in the child), and no way back to the launcher's
# binary from inside (no self re-exec, the pre-exec child not dumpable).
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs)
trap 'touch "$WORK/stop-swapping"; wait; umount -l "$WORK/shared" /dev/null 2>/dev/null || true; cleanup' EXIT
run() { "$NSNET" run pit --net none --rootfs "$ROOT" "$@"; }

# pivot_root(".", ".") stacks the old root on the new one; unmounted, one
# mount is left at "/", and it is the rootfs.
roots=$(run -- /bin/cat /proc/self/mountinfo | awk '$5 == "/"')
expect_eq "one mount at / inside (the old root is unmounted)" 1 "$(grep -c . <<<"$roots")"
root_of_mount=$(awk '{print $4}' <<<"$roots")
[[ "$ROOT" == *"$root_of_mount" && "$root_of_mount" == */rootfs ]] ||
  fail "/ inside is $root_of_mount, not the rootfs $ROOT"
ok "/ inside is the rootfs"

# Propagation: a shared mount on the host, bound into the container, would
# carry a mount made inside back out to the host (and host mounts in).
mkdir -p "$WORK/shared"
mount -t tmpfs pit-shared "$WORK/shared"
mount --make-shared "$WORK/shared"
grep -q "shared:" /proc/self/mountinfo || fail "could not make a shared mount on the host"
out=$(run --cap-add SYS_ADMIN --bind "$WORK/shared:/shared" -- /bin/sh -c \
  'grep -c "shared:" /proc/self/mountinfo; mount -t tmpfs pit-inner /shared && echo mounted')
expect_eq "no shared mount inside" "0 mounted" "$(tr '\n' ' ' <<<"$out" | sed 's/ $//')"
! grep -q pit-inner /proc/self/mountinfo || fail "a mount made inside propagated to the host"
ok "a mount inside a bound shared mount stays inside"
umount "$WORK/shared"

# cgroup placement: in its cgroup before the program's first instruction,
# and the cgroup namespace made after the move, so every hierarchy shows
# "/" (a move after it would show "/../nsnet/..."). --pids joins the pids
# controller on v1 and v2 alike when there is one.
limit=(); if cgroup_controller pids; then limit=(--pids 32); fi
lines=$(run "${limit[@]}" -- /bin/cat /proc/self/cgroup)
expect_eq "every cgroup of the program is its namespace's root" "" "$(grep -v ':/$' <<<"$lines" || true)"
if cgroup_controller pids; then
  "$NSNET" run pitc -d --net none --rootfs "$ROOT" --pids 32 -- /bin/sleep 60 >/dev/null
  pid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' /run/nsnet/run/pitc/state.json)
  group=$(sed -n 's/^[0-9]*:\(pids\|\):\(.*\)/\2/p' "/proc/$pid/cgroup" | head -1)
  expect_contains "host side: the program is in its own pids cgroup" "/nsnet/pitc." "$group"
  "$NSNET" stop pitc -t 1 >/dev/null
fi

# Capabilities: started with ambient and inheritable NET_ADMIN and SYS_ADMIN,
# the program gets neither, as root (Docker's set) or as a user (nothing).
status() { setpriv --inh-caps +net_admin,+sys_admin --ambient-caps +net_admin,+sys_admin -- \
  "$NSNET" run pit --net none --rootfs "$ROOT" "$@" -- /bin/cat /proc/self/status |
  awk '/^Cap(Inh|Prm|Eff|Bnd|Amb)/ {printf "%s%s ", $1, $2}' | sed 's/ $//'; }
setpriv --inh-caps +net_admin --ambient-caps +net_admin -- grep -q "CapAmb:.*1000" /proc/self/status ||
  fail "setpriv could not start a process with an ambient capability"
docker=00000000a80425fb
expect_eq "root: inherited ambient/inheritable dropped" \
  "CapInh:0000000000000000 CapPrm:$docker CapEff:$docker CapBnd:$docker CapAmb:0000000000000000" "$(status)"
expect_eq "user 1000: nothing, ambient included" \
  "CapInh:0000000000000000 CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:$docker CapAmb:0000000000000000" \
  "$(status --user 1000:1000)"

# fds: with --init, init (PID 1) keeps only 0-2 (it never execs, so it
# closes everything itself) and the program gets only 0-2.
exec 7</dev/null  # inherited without CLOEXEC by the launcher
"$NSNET" run pitd -d --net none --rootfs "$ROOT" --init -- /bin/sleep 60 >/dev/null
exec 7<&-
init=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' /run/nsnet/run/pitd/state.json)
program=$(awk '{print $1}' "/proc/$init/task/$init/children")
expect_eq "--init: init holds only 0-2" "0 1 2" "$(ls "/proc/$init/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')"
expect_eq "--init: the program holds only 0-2" "0 1 2" "$(ls "/proc/$program/fd" | sort -n | tr '\n' ' ' | sed 's/ $//')"

# No self re-exec: PID 1 is the program's own binary, never nsnet; with
# --init the fork of nsnet that is PID 1 is not dumpable, so the program
# cannot open its /proc/1/exe (the host's nsnet binary; runc CVE-2019-5736).
expect_eq "host side: the program's binary is its own (the rootfs's busybox)" "$(stat -c %d:%i "$ROOT/bin/busybox")" \
  "$(stat -L -c %d:%i "/proc/$program/exe")"
"$NSNET" stop pitd -t 1 >/dev/null
expect_eq "PID 1 is the program itself" /bin/busybox "$(run -- /bin/readlink /proc/1/exe)"
out=$(run --init -- /bin/sh -c 'readlink /proc/1/exe || echo denied; cat /proc/1/exe >/dev/null 2>&1 || echo denied' 2>&1)
expect_eq "--init: /proc/1/exe is closed to the program" "denied denied" "$(tr '\n' ' ' <<<"$out" | sed 's/ $//')"
! grep -rn '/proc/self/exe' "$NSNET_SRC/launcher" "$NSNET_SRC/cli" || fail "the launcher names /proc/self/exe"
ok "no /proc/self/exe in launcher/ or cli/"

# /dev/null: masking binds it over /proc files, so it must be the null
# device. A file bound over the host's /dev/null (in this sandbox's mount
# namespace) is refused before anything is made ...
masked=""
for path in /proc/interrupts /proc/keys /proc/timer_list /proc/kcore; do
  [ -e "$path" ] && { masked=$path; break; }
done
[ -n "$masked" ] || fail "none of the masked /proc files exists on this kernel"
echo "secret-not-null" >"$WORK/fake-null"
mount --bind "$WORK/fake-null" /dev/null
rc=0; err=$(run -- /bin/cat "$masked" 2>&1) || rc=$?
umount /dev/null
[ "$rc" != 0 ] || fail "a fake host /dev/null was accepted: $err"
expect_contains "fake host /dev/null refused" "is not the null device" "$err"
expect_no_leftovers pit
# ... and swapped in after that check, it is caught in the child, which
# checks the very handle it binds: no run may show the file at a masked path.
( while [ ! -e "$WORK/stop-swapping" ]; do
    mount --bind "$WORK/fake-null" /dev/null; umount /dev/null
  done ) 2>"$WORK/swap.err" &
swapper=$!
child_hits=0 host_hits=0 ran=0
for i in $(seq 60); do
  out=$(run -- /bin/cat "$masked" 2>&1 || true)
  case "$out" in
    *secret-not-null*) fail "run $i: the fake /dev/null was bound over $masked" ;;
    *"the host's /dev/null is not the null device"*) host_hits=$((host_hits + 1)) ;;
    *"/dev/null is not the null device"*) child_hits=$((child_hits + 1)) ;;
    *) ran=$((ran + 1)) ;;
  esac
  [ "$child_hits" -ge 3 ] && break
done
touch "$WORK/stop-swapping"; wait "$swapper"
[ "$(stat -c %t:%T /dev/null)" = 1:3 ] || fail "/dev/null left faked"
echo "swap race: $child_hits caught in the child, $host_hits on the host, $ran ran with the real one"
[ "$child_hits" -ge 1 ] || fail "the swap never reached the child in $i runs: the child's check is unproved"
ok "a /dev/null swapped after the host check is refused in the child"
expect_no_leftovers pit
echo PASS
