#!/usr/bin/env bash
# The classic chroot escape (mkdir, chroot into it, chdir .. many times,
# chroot .) reaches the host under --chroot, and fails under pivot_root.
set -euo pipefail
source "${NSNET_SRC:?}/tests/launcher_lib.sh"
command -v gcc >/dev/null || skip "gcc is needed to build the escape program"
ROOT=$(make_rootfs)

cat >"$WORK/escape.c" <<'C'
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
  mkdir("/escape-dir", 0755);
  if (chroot("/escape-dir") != 0) { perror("chroot"); return 2; }
  /* the cwd is still outside the new root, so ".." is never clamped */
  for (int i = 0; i < 64; i++) chdir("..");
  if (chroot(".") != 0) { perror("chroot ."); return 2; }
  execl("/bin/sh", "sh", "-c", "cat /tmp/nsnet-escape-marker 2>/dev/null || echo contained", (char*)0);
  return 3;
}
C
gcc -static -O2 -o "$ROOT/escape" "$WORK/escape.c"
# The marker exists only on the host; the rootfs has no such file.
marker=/tmp/nsnet-escape-marker
echo "host-reached" >"$marker"
trap 'rm -f "$marker"; cleanup' EXIT

out=$("$NSNET" run esc --net none --rootfs "$ROOT" --chroot -- /escape)
expect_eq "chroot (teaching mode) is escapable" host-reached "$out"
out=$("$NSNET" run esc --net none --rootfs "$ROOT" -- /escape)
expect_eq "pivot_root is not" contained "$out"
expect_no_leftovers esc
echo PASS
