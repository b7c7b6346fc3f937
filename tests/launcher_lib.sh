# Shared by tests/integration/launcher_*.sh (sourced). Runs inside the sandbox.
set -euo pipefail

NSNET=${NSNET:?NSNET must point to the built nsnet binary}
NSNET_SRC=${NSNET_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
WORK=$(mktemp -d /tmp/nsnet-launcher-test.XXXXXX)
chmod 755 "$WORK"  # reachable by the root of a user namespace
# Detached containers would outlive the sandbox: stop whatever is left.
cleanup() {
  local dir
  for dir in /run/nsnet/run/*/; do
    [ -e "$dir/state.json" ] && "$NSNET" stop "$(basename "$dir")" -t 1 >/dev/null 2>&1
  done
  "$NSNET" rm --dead >/dev/null 2>&1 || true  # and the cgroups of killed launchers
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
ok() { echo "ok: $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; ok "$1"; }
# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
  case "$3" in *"$2"*) ok "$1" ;; *) fail "$1: '$2' not in: $3" ;; esac
}

# A busybox root filesystem for --rootfs.
make_rootfs() {
  "$NSNET_SRC/scripts/mkrootfs" "$WORK/rootfs" "$@" >/dev/null
  echo "$WORK/rootfs"
}

# Exit status of a command, without tripping set -e.
status_of() { local rc=0; "$@" || rc=$?; echo "$rc"; }

# No cgroup, state or log of container NAME left behind.
expect_no_leftovers() {
  local name=$1
  [ ! -e "/run/nsnet/run/$name" ] || fail "state of $name left in /run/nsnet/run"
  local left
  left=$(find /sys/fs/cgroup -maxdepth 12 -type d -path "*/nsnet/$name.*" 2>/dev/null || true)
  [ -z "$left" ] || fail "cgroup of $name left: $left"
  ok "nothing of $name left behind"
}

# cgroup_controller NAME: succeeds when the controller can be used (v1 or v2).
cgroup_controller() {
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    grep -qw "$1" /sys/fs/cgroup/cgroup.controllers
  else
    [ "$(stat -f -c %T "/sys/fs/cgroup/$1" 2>/dev/null)" = cgroupfs ]
  fi
}
