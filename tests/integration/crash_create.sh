#!/usr/bin/env bash
# Crash faults of the `nsnet` command: `nsnet create` and `nsnet delete`
# SIGKILLed at every named step (NSNET_FAULT_AT) and after random delays.
# After each kill the state files are whole and no address is held twice
# (tests/tools/state_check.py); then one `nsnet delete` (or, every other
# trial, a new `nsnet create` of the same name, which must work, and its
# delete) returns the sandbox to what it was: links, addresses, routes,
# /run/netns, the state dir and the nft ruleset. Phase one on an empty
# network (the bridge and the firewall come and go with k1), phase two next
# to a live k0. CRASH_CREATE_RANDOM random-delay kills per phase (default 12).
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

random_kills=${CRASH_CREATE_RANDOM:-12}
create_steps=(create-journal create-netns attach-bridge-made attach-bridge attach-allocate attach-firewall attach-gateway attach-veth
              attach-container attach-record create-attach state-write)
delete_steps=(delete-journal detach-firewall detach-veth detach-release detach-record delete-detach
              delete-netns state-write)
create_k1=("$NSNET" create k1 -p 8080:80)

check_state() { "$PY" "$NSNET_SRC/tests/tools/state_check.py" "$STATE" >/dev/null || {
  "$PY" "$NSNET_SRC/tests/tools/state_check.py" "$STATE"; fail "$1: corrupt state"; }; }
temp_files() { find "$STATE" -name '.*.tmp[0-9]*' 2>/dev/null || true; }
# STRICT=1: no temp file of a killed writer may be left either (a network
# that becomes empty is swept); else they are ignored (never read).
snap() {
  host_state | { [ "${STRICT:-0}" = 1 ] && cat || grep -v '/\.[^/]*\.tmp[0-9]*$' || true; }
  ls -A /run/netns
  nft list ruleset 2>/dev/null || true
}
clean() {  # WHAT: everything is as before the trial
  local now; now=$(snap)
  [ "$now" = "$baseline" ] || { diff <(echo "$baseline") <(echo "$now"); fail "$1: left state behind"; }
}
# recover WHAT N: after a kill, either delete k1, or (N odd) create it anew
# (which must roll back what the killed call left and work) and delete it.
recover() {
  local what=$1 out finished=0
  check_state "$what"
  # k1 is still there, and refusing to create it again is right, after a
  # delete killed before its journal was written (it changed nothing) and
  # after a create killed once its work was done (its journal gone, the
  # process still exiting: the ASan build's exit-time leak check is slow).
  [[ $what == *"delete killed"* ]] && finished=1
  [[ $what == *"create killed"* && -e /run/netns/k1 && ! -e $STATE/named/k1/journal ]] && finished=1
  if [ $(($2 % 2)) = 1 ]; then
    out=$("${create_k1[@]}" 2>&1) || [[ $finished = 1 && $out == *"already exists"* ]] ||
      fail "$what: a new create of k1 failed: $out"
    check_state "$what, after the new create"
    [[ $(ip -n k1 -o -4 addr show eth0) == *"inet 10.0.0."* ]] || fail "$what: k1 has no address"
    "$NSNET" delete k1 >/dev/null || fail "$what: delete after the new create failed"
  else
    out=$("$NSNET" delete k1 2>&1) || grep -q "no network namespace 'k1'" <<<"$out" ||
      fail "$what: delete failed: $out"
  fi
  check_state "$what, after delete"
  [ -z "$(temp_files | grep /named/ || true)" ] || fail "$what: temp files left in named/: $(temp_files)"
  clean "$what"
}
killed_by_step() {  # STEP CMD...: CMD must die of SIGKILL at STEP
  local step=$1 rc; shift
  set +e; NSNET_FAULT_AT=$step "$@" >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 137 ] || fail "$* killed at $step: exit $rc, not killed"
}

n=0 midway=0
run_phase() {
  local step delay pid i
  for step in "${create_steps[@]}"; do
    n=$((n + 1))
    killed_by_step "$step" "${create_k1[@]}"
    recover "$PHASE: create killed at $step" "$n"
  done
  for step in "${delete_steps[@]}"; do
    n=$((n + 1))
    "${create_k1[@]}" >/dev/null
    killed_by_step "$step" "$NSNET" delete k1
    recover "$PHASE: delete killed at $step" "$n"
  done
  for i in $(seq "$random_kills"); do
    n=$((n + 1))
    delay=$(printf '0.%03d' $((RANDOM % 150)))
    if [ $((i % 2)) = 0 ]; then
      "${create_k1[@]}" >/dev/null
      "$NSNET" delete k1 >/dev/null 2>&1 & pid=$!
      what="$PHASE: delete killed after ${delay}s"
    else
      "${create_k1[@]}" >/dev/null 2>&1 & pid=$!
      what="$PHASE: create killed after ${delay}s"
    fi
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    # A create that finished before the kill is no crash: delete it.
    if wait "$pid" 2>/dev/null; then
      [[ $what == *create* ]] && recover "$what" 0 || recover "$what" "$n"
    else
      midway=$((midway + 1))
      recover "$what" "$n"
    fi
  done
  echo "ok: $PHASE: create and delete killed at every step, and $random_kills at random ($midway killed mid-way so far)"
}

# (The first create makes nsnet's nft table, which stays, empty, for good.)
"${create_k1[@]}" >/dev/null && "$NSNET" delete k1 >/dev/null
STRICT=1 PHASE="empty network"
baseline=$(snap)
run_phase

"$NSNET" create k0 10.0.0.5/24 >/dev/null   # k1 must never get its address
STRICT=0 PHASE="next to k0"
baseline=$(snap)
run_phase

# The last delete of the network sweeps the temp files killed writers left.
"$NSNET" delete k0 >/dev/null
[ -z "$(temp_files)" ] || fail "temp files left after the network's last delete: $(temp_files)"
echo "ok: $n trials; the network's last delete swept the temp files of killed writers"
echo PASS
