#!/usr/bin/env bash
# nsnet run: PID, UTS, IPC, mount and cgroup isolation, masked /proc,
# capabilities, the acceptance command, and clean errors.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs)
ip netns add iso1

# The acceptance line: hostname, PID 1, a cgroup of its own.
out=$("$NSNET" run iso1 --rootfs "$ROOT" --hostname mail1 --memory 64M --pids 64 -- \
      /bin/sh -c 'hostname; echo $$; cat /proc/self/cgroup')
expect_eq "hostname inside" mail1 "$(sed -n 1p <<<"$out")"
expect_eq "the program is PID 1" 1 "$(sed -n 2p <<<"$out")"
expect_contains "own cgroup namespace root" "pids:/" "$out"
expect_no_leftovers iso1

# No host PIDs: a host process is invisible inside.
sleep 300 & host_sleep=$!
procs=$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/sh -c 'cd /proc && echo [0-9]*; cat /proc/*/cmdline 2>/dev/null | tr "\0" " "')
kill $host_sleep
expect_eq "only the container's process (the shell's glob)" 1 "$(head -1 <<<"$procs")"
case "$procs" in *"sleep 300"*) fail "host process visible inside" ;; esac
ok "host processes invisible"

# UTS: the host's hostname is untouched.
before=$(hostname)
"$NSNET" run iso1 --rootfs "$ROOT" --cap-add SYS_ADMIN -- /bin/hostname changed-inside
expect_eq "host hostname unchanged" "$before" "$(hostname)"
expect_eq "default hostname is the name" iso1 "$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/hostname)"
expect_contains "/etc/hosts names the host" "127.0.1.1	iso1" \
  "$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/cat /etc/hosts)"

# IPC: a SysV semaphore made inside is not visible outside, nor the reverse
# (util-linux ipcmk/ipcs from the host root, read-only, without --rootfs).
host_sem=$(ipcmk -S 1 | grep -o '[0-9]*$')
inside=$("$NSNET" run iso1 -- /bin/sh -c 'ipcmk -S 1 >/dev/null && ipcs -s | grep -c "^0x"')
expect_eq "the container sees only its own semaphore" 1 "$inside"
expect_eq "the host sees only its own semaphore" 1 "$(ipcs -s | grep -c '^0x')"
ipcrm -s "$host_sem"

# Mounts: a mount made inside is not seen outside.
"$NSNET" run iso1 --rootfs "$ROOT" --cap-add SYS_ADMIN -- /bin/sh -c 'mount -t tmpfs nsnet-inside-mark /home && grep -q nsnet-inside-mark /proc/mounts'
! grep -q nsnet-inside-mark /proc/mounts || fail "inside mount visible on the host"
ok "inside mount invisible outside"

# The host root mode: read-only, with a private /tmp.
out=$("$NSNET" run iso1 -- /bin/sh -c 'touch /usr/nsnet-x 2>&1; echo t > /tmp/nsnet-private && echo tmp-ok')
expect_contains "host root is read-only" "Read-only file system" "$out"
expect_contains "private /tmp is writable" tmp-ok "$out"
[ ! -e /tmp/nsnet-private ] || fail "/tmp of the container is the host's"
ok "/tmp is private"

# Masked and read-only /proc paths.
for path in /proc/timer_list /proc/keys /proc/interrupts; do
  [ -e "$path" ] || continue
  got=$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/sh -c "cat $path | wc -c")
  expect_eq "$path masked" 0 "$got"
done
out=$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/sh -c 'echo 1 > /proc/sys/kernel/domainname' 2>&1 || true)
expect_contains "/proc/sys read-only" "Read-only file system" "$out"

# Capabilities: Docker's default set, adjustable.
caps() { "$NSNET" run iso1 --rootfs "$ROOT" "$@" -- /bin/sh -c 'grep "^CapEff" /proc/self/status' | awk '{print $2}'; }
expect_eq "default capability set" 00000000a80425fb "$(caps)"
expect_eq "bounding set is the same" 00000000a80425fb \
  "$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/sh -c 'grep "^CapBnd" /proc/self/status' | awk '{print $2}')"
expect_eq "--cap-drop ALL" 0000000000000000 "$(caps --cap-drop ALL)"
expect_eq "--cap-add NET_ADMIN" 00000000a80435fb "$(caps --cap-add NET_ADMIN)"
expect_eq "non-root user has none" 0000000000000000 "$(caps --user 1000:1000)"
nnp=$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/sh -c 'grep NoNewPrivs /proc/self/status' | awk '{print $2}')
expect_eq "no_new_privs" 1 "$nnp"

# Only fds 0-2 reach the program.
exec 7</dev/null
expect_eq "no inherited fds" "0 1 2 3" \
  "$("$NSNET" run iso1 --rootfs "$ROOT" -- /bin/ls /proc/self/fd | sort -n | tr '\n' ' ' | sed 's/ $//')"
exec 7<&-

# A symlink in the rootfs cannot point a mount outside it.
mkdir -p "$WORK/outside"
ln -s "$WORK/outside" "$ROOT/escape"
# It resolves to ROOT$WORK/outside, which does not exist: refused, not created outside.
"$NSNET" run iso1 --rootfs "$ROOT" --tmpfs /escape/sub -- /bin/true 2>/dev/null || true
[ ! -e "$WORK/outside/sub" ] || fail "mount target followed a symlink out of the rootfs"
ok "mount target stays inside the rootfs"
rm "$ROOT/escape"

# Environment, user and working directory.
out=$("$NSNET" run iso1 --rootfs "$ROOT" --user 1000:1001 --env GREETING=hi -w /tmp -- /bin/sh -c 'id -u; id -g; echo $GREETING; pwd')
expect_eq "user, group, env, workdir" "1000 1001 hi /tmp" "$(tr '\n' ' ' <<<"$out" | sed 's/ $//')"

# --net none: a fresh netns with only lo, up.
out=$("$NSNET" run box --net none --rootfs "$ROOT" -- ip -o link)
expect_eq "--net none has only lo" 1 "$(wc -l <<<"$out")"
expect_contains "lo is up" "UP" "$out"

# Errors: clear, non-zero, nothing left behind.
err=$("$NSNET" run nosuchns --rootfs "$ROOT" -- /bin/true 2>&1) && fail "missing netns accepted"
expect_contains "missing netns named" "network namespace 'nosuchns' does not exist" "$err"
err=$("$NSNET" run iso1 --rootfs "$WORK/nope" -- /bin/true 2>&1) && fail "missing rootfs accepted"
expect_contains "missing rootfs named" "rootfs '$WORK/nope' does not exist" "$err"
err=$("$NSNET" run iso1 --rootfs "$ROOT" --workdir /nope -- /bin/true 2>&1) && fail "missing workdir accepted"
expect_contains "missing workdir named" "/nope" "$err"
rc=$(status_of "$NSNET" run iso1 --rootfs "$ROOT" -- /no/such/program 2>/dev/null)
expect_eq "missing program exits 127" 127 "$rc"
expect_no_leftovers iso1
echo PASS
