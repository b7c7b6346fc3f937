#!/usr/bin/env bash
# The benchmark keeps working: a smoke run of scripts/bench (N=5, one
# repetition) into a temporary directory writes RESULTS.md and the plot, no
# phase fails, and every side this machine and this nsnet can run is measured.
set -euo pipefail
# valgrind (callgrind, in the growth phase) cannot run an ASan binary; the
# normal build runs this test (scripts/test's suite phase, and land.sh).
# (Not `ldd | grep -q`: grep -q leaves at the first match, ldd may then die
# of SIGPIPE, and pipefail turns the match into a failure.)
if [[ "$(ldd "$NSNET")" == *libasan* ]]; then
  echo "SKIP: valgrind cannot run the ASan+UBSan build's nsnet"; exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$NSNET_SRC/scripts/bench" --smoke --out "$out"
results=$out/RESULTS.md

[ -s "$results" ] || { echo "no RESULTS.md"; exit 1; }
[ "$(head -c 4 "$out/add_latency.png" | od -An -c | tr -d ' ')" = "211PNG" ] \
  || { echo "add_latency.png is not a PNG"; exit 1; }
if grep -n "the phase failed" "$results"; then exit 1; fi

expect_row() {  # expect_row SIDE: a measured row for SIDE in the tables
  grep -q "^| $1 | [0-9]" "$results" || { echo "no measured row for '$1' in RESULTS.md"; cat "$results"; exit 1; }
}
[ -x /usr/lib/cni/bridge ] && expect_row reference
[ -x /usr/lib/podman/netavark ] && expect_row netavark
command -v runc >/dev/null && expect_row runc
expect_row unshare
# nsnet's own sides, as soon as this build has them
if CNI_COMMAND=VERSION "$NSNET" </dev/null 2>/dev/null | grep -q supportedVersions; then
  expect_row nsnet
fi
if "$NSNET" run --help >/dev/null 2>&1; then
  expect_row "nsnet run"
  grep -q "cgroup the containers made was gone" "$results" \
    || { echo "the launcher phase left cgroups or did not check"; exit 1; }
fi
if "$NSNET" publish --help >/dev/null 2>&1; then
  expect_row "1 | nsnet publish"  # the ports table starts with the existing mappings
fi
# the growth phase: interleaved probes, instructions and kernel operations
grep -q "^### Where the growth comes from" "$results" || { echo "no growth section"; exit 1; }
expect_row "raw netlink floor | ADD"
if command -v valgrind >/dev/null; then
  grep -q "^\*\*Instructions\*\*" "$results" || { echo "no callgrind counts"; exit 1; }
fi
if command -v strace >/dev/null; then
  grep -q "^\*\*Kernel operations of nsnet\*\*" "$results" || { echo "no strace table"; exit 1; }
fi
echo "bench smoke run ok"
