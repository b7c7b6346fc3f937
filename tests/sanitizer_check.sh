#!/usr/bin/env bash
# tests/sanitizer_check.sh LOGDIR CMD...: runs CMD (a test script in its
# sandbox) in the ASan+UBSan build, and fails if any process under it wrote a
# sanitizer report. The reports go to files in LOGDIR (ASAN_OPTIONS and
# UBSAN_OPTIONS log_path, set by tests/CMakeLists.txt), not to stderr: the
# plugin runs as a child of scripts that expect failures and check only the
# exit code or a word of the message, so a report on stderr could pass unseen.
set -uo pipefail
logdir=$1; shift
rm -rf "$logdir" && mkdir -p "$logdir" || exit 1
"$@"
rc=$?
# What counts is a finding. Not findings, and left by processes SIGKILLed on
# purpose (the crash tests): an empty file (killed just as the sanitizer had
# opened its log) and LeakSanitizer's note that a thread vanished while its
# exit-time check was stopping the world ("Unable to get registers from
# thread N": the process was being killed; LSan goes on and still reports
# any leak it finds, which would be other lines).
not_a_finding='^==[0-9]+==Unable to get registers from thread [0-9]+\.$'
reports=()
for f in "$logdir"/*; do
  [ -f "$f" ] && grep -qvE "$not_a_finding|^$" "$f" && reports+=("$f")
done
if [ ${#reports[@]} -gt 0 ]; then
  echo "FAIL: ${#reports[@]} sanitizer report(s) (kept in $logdir):" >&2
  cat "${reports[@]}" >&2
  exit 1
fi
exit "$rc"
