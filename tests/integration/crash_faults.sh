#!/usr/bin/env bash
# Crash faults: the plugin and `nsnet create` SIGKILLed at every named step of
# an attach (NSNET_FAULT_AT) and after random delays during ADD and DEL. After
# each kill the state files are whole (tests/tools/state_check.py), and one
# DEL (or `nsnet delete`) returns the sandbox to clean: no leases, records,
# host veths, container links or netns entries. TRIALS (default 200) in all.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

trials=${CRASH_TRIALS:-200}
steps=(attach-bridge attach-allocate attach-gateway attach-veth attach-container attach-record state-write)
config=$(cni_config 1.1.0)
ns=$(new_netns c1)
cni ADD warm "$(new_netns warm)" "$config"; cni_ok "warm-up ADD"   # the bridge exists from here on

check_state() { "$PY" "$NSNET_SRC/tests/tools/state_check.py" "$STATE" >/dev/null || {
  "$PY" "$NSNET_SRC/tests/tools/state_check.py" "$STATE"; fail "$1: corrupt state"; }; }
# (hidden temp files of a killed writer are never read: state_check notes them)
state_now() { host_state | grep -v '/\.[^/]*\.tmp[0-9]*$' || true; }
clean() {  # WHAT: after a kill and a DEL, nothing of c1 is left
  local now; now=$(state_now)
  [ "$now" = "$baseline" ] || { diff <(echo "$baseline") <(echo "$now"); fail "$1: left state behind"; }
  [ -z "$(ip -n c1 -o link show | grep -v ': lo:')" ] || fail "$1: links left in c1"
}

baseline=$(state_now)
n=0 killed=0
while [ "$n" -lt "$trials" ]; do
  n=$((n + 1))
  if [ $((n % 3)) != 0 ]; then
    # Killed at a named step of ADD.
    step=${steps[$((n % ${#steps[@]}))]}
    what="trial $n: ADD killed at $step"
    NSNET_FAULT_AT=$step cni ADD c1 "$ns" "$config"
    [ "$RC" = 137 ] && killed=$((killed + 1))
  else
    # Killed after a random delay, during an ADD or during the DEL after one.
    delay=$(printf '0.%03d' $((RANDOM % 120)))
    if [ $((n % 2)) = 0 ]; then
      what="trial $n: ADD killed after ${delay}s"
    else
      cni ADD c1 "$ns" "$config"; cni_ok "trial $n: ADD"
      what="trial $n: DEL killed after ${delay}s"
    fi
    cmd=ADD; [[ $what == *DEL* ]] && cmd=DEL
    CNI_COMMAND=$cmd CNI_CONTAINERID=c1 CNI_NETNS="$ns" CNI_IFNAME=eth0 \
      "$CNI_BIN/nsnet" <<<"$config" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && killed=$((killed + 1)) || true
    wait "$pid" 2>/dev/null || true
  fi
  check_state "$what"
  cni DEL c1 "$ns" "$config"; cni_ok "$what: the DEL after"
  check_state "$what, after DEL"
  clean "$what"
done
echo "ok: $trials ADD/DEL trials, $killed processes killed mid-way"

# nsnet create (on the default network), killed before it leases and after
# it records; nsnet delete sweeps what it left. (Killed between the lease and
# the record, the lease stays: delete finds no record naming the network.)
"$NSNET" create k0 10.0.0.5/24 >/dev/null   # keeps the bridge up
baseline=$(state_now)
create_steps=(attach-bridge attach-record)
for step in "${create_steps[@]}"; do
  set +e; NSNET_FAULT_AT=$step "$NSNET" create k1 10.0.0.200/24 >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 137 ] || fail "create killed at $step: exit $rc, not killed"
  check_state "create killed at $step"
  "$NSNET" delete k1 >/dev/null 2>&1 || true
  [ ! -e /run/netns/k1 ] || fail "create killed at $step: /run/netns/k1 left after delete"
  check_state "create killed at $step, after delete"
  now=$(state_now)
  [ "$now" = "$baseline" ] || { diff <(echo "$baseline") <(echo "$now"); fail "create killed at $step: left state"; }
done
echo "ok: nsnet create killed at ${#create_steps[@]} steps, each swept by nsnet delete"
echo PASS
