# tests/lib.sh: sourced by integration/e2e scripts (which run inside
# scripts/sandbox with NSNET set to the built binary).
: "${NSNET:?run through ctest or set NSNET to the nsnet binary}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
[ "${NSNET_SANDBOX:-}" = 1 ] || fail "run inside scripts/sandbox"

PY=$(command -v /usr/bin/python3 || command -v python3)

# wait_for SECONDS WHAT CMD...: runs CMD every 0.1 s until it succeeds; fails
# with WHAT once SECONDS have passed. Wait for the condition itself, never
# for a fixed time or a fixed count of tries: on a loaded 2-core CI machine a
# python server can take seconds to start, and every try takes longer too.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || fail "$what (waited ${seconds} s)"
    sleep 0.1
  done
}

# serve_tcp PORT TEXT [RUNNER...]: in the background, accept TCP connections
# on PORT and answer each with TEXT. RUNNER (e.g. "$NSNET exec web1 --")
# chooses the namespace; SERVE_BIND the address (default 0.0.0.0, :: for v6).
# Waits until the port listens.
serve_tcp() {
  local port=$1 text=$2; shift 2
  "$@" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[3] else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[3], int(sys.argv[1]))); s.listen(16)
open(sys.argv[4], "w").close()
while True:
    c, _ = s.accept(); c.sendall(sys.argv[2].encode() + b"\n"); c.close()
'  "$port" "$text" "${SERVE_BIND:-0.0.0.0}" "/run/listening.$port.$$" &
  wait_for 30 "listener on port $port did not start" test -e "/run/listening.$port.$$"
}

# tcp_get IP PORT [RUNNER...]: prints what the server at IP:PORT answers.
tcp_get() {
  local ip=$1 port=$2; shift 2
  "$@" "$PY" -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
print(s.recv(200).decode().strip())
' "$ip" "$port"
}

# expect_fail "DESCRIPTION" PATTERN CMD...: CMD must fail with PATTERN in stderr.
expect_fail() {
  local what=$1 pattern=$2 err; shift 2
  if err=$("$@" 2>&1 >/dev/null); then fail "$what: succeeded"; fi
  grep -q -- "$pattern" <<<"$err" || fail "$what: expected '$pattern' in: $err"
  echo "ok: $what: $err"
}

# snapshot: the host state that create + delete must leave as it was.
snapshot() {
  ip -o link show | awk -F': ' '{print $2}' | sort
  ls -A /run/netns 2>/dev/null || true
  find "${NSNET_STATE_DIR:-/run/nsnet}" -type f \( -name '*.json' -o -path '*/leases/*[0-9a-f]' \) \
    ! -name 'last_reserved*' 2>/dev/null | sort || true
}

cleanup_jobs() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup_jobs EXIT
