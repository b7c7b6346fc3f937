#!/usr/bin/env bash
# --userns: container root is an unprivileged host uid; the netns is joined
# before the user namespace, so a server binds port 25 in a named netns only
# with --unprivileged-port-start; scripts/mkrootfs --add brings host programs
# with their libraries.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
ROOT=$(make_rootfs --add /usr/bin/ipcs --add /usr/bin/ipcmk)
ip netns add uns1
ip -n uns1 link set lo up

out=$("$NSNET" run uns1 --rootfs "$ROOT" --userns -- /bin/sh -c 'id -u; cat /proc/self/uid_map; cat /proc/self/gid_map; cat /proc/self/setgroups')
expect_eq "root inside" 0 "$(sed -n 1p <<<"$out")"
expect_eq "uid map" "0 100000 65536" "$(sed -n 2p <<<"$out" | tr -s ' ' | sed 's/^ //')"
expect_eq "gid map" "0 100000 65536" "$(sed -n 3p <<<"$out" | tr -s ' ' | sed 's/^ //')"
expect_eq "setgroups denied" deny "$(sed -n 4p <<<"$out")"
"$NSNET" run uns1 -d --rootfs "$ROOT" --userns --userns-map 200000:65536 -- /bin/sleep 30 >/dev/null
pid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' /run/nsnet/run/uns1/state.json)
expect_eq "the program's host uid comes from --userns-map" 200000 "$(stat -c %u "/proc/$pid")"
"$NSNET" stop uns1 -t 1 >/dev/null

# The netns belongs to the host's user namespace: without the sysctl, port 25
# is refused to the namespaced root; with it, the server listens.
err=$("$NSNET" run uns1 --rootfs "$ROOT" --userns -- /bin/sh -c 'nc -l -p 25 -w 1 2>&1 || true')
expect_contains "port 25 refused in a foreign netns" "ermission denied" "$err"
"$NSNET" run uns1 -d --rootfs "$ROOT" --userns --unprivileged-port-start 0 --hostname mx1 --init -- \
  nc -ll -p 25 -e hostname >/dev/null
for _ in $(seq 200); do got=$(ip netns exec uns1 busybox nc -w 1 127.0.0.1 25 </dev/null 2>/dev/null || true); [ -n "$got" ] && break; sleep 0.1; done
expect_eq "user-namespaced server on port 25" mx1 "$got"
expect_eq "the sysctl is set in that netns only" 0 "$(ip netns exec uns1 sysctl -n net.ipv4.ip_unprivileged_port_start)"
"$NSNET" stop uns1 -t 2 >/dev/null
expect_no_leftovers uns1

# Host root, read-only, also works in a user namespace.
expect_eq "host root in a user namespace" ro "$("$NSNET" run uns1 --userns -- /bin/sh -c 'touch /usr/x 2>/dev/null && echo rw || echo ro')"

# A dynamic host program added with mkrootfs --add runs inside: IPC isolation
# with the rootfs.
out=$("$NSNET" run uns1 --rootfs "$ROOT" -- /bin/sh -c 'ipcmk -Q >/dev/null && ipcs -q | grep -c "^0x"')
expect_eq "mkrootfs --add: ipcmk and ipcs run, one queue inside" 1 "$out"
expect_eq "no queue outside" 0 "$(ipcs -q | grep -c '^0x' || true)"
expect_no_leftovers uns1
echo PASS
