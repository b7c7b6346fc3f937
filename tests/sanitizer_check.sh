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
# An empty file is not a report: a process SIGKILLed on purpose (the crash
# tests) while a sanitizer had just opened its log (LeakSanitizer's exit-time
# tracer) leaves one. A report that has content fails the test.
reports=()
for f in "$logdir"/*; do [ -s "$f" ] && reports+=("$f"); done
if [ ${#reports[@]} -gt 0 ]; then
  echo "FAIL: ${#reports[@]} sanitizer report(s) (kept in $logdir):" >&2
  cat "${reports[@]}" >&2
  exit 1
fi
exit "$rc"
