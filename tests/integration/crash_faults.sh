#!/usr/bin/env bash
# Crash faults: the plugin SIGKILLed at every named step of an attach and a
# detach (NSNET_FAULT_AT) and after random delays during ADD and DEL. After
# each kill the state files are whole (tests/tools/state_check.py), and one
# DEL returns the sandbox to clean: no leases, records, host veths, container
# links or netns entries; a GC then sweeps the temp files killed writers left.
# CRASH_TRIALS (default 200) in all. (`nsnet create`/`delete`: crash_create.sh.)
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

trials=${CRASH_TRIALS:-200}
steps=(attach-bridge-made attach-bridge attach-allocate attach-firewall attach-gateway attach-veth attach-container attach-record state-write
       detach-firewall detach-veth detach-release detach-record)
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
    if [[ $step == detach-* ]]; then
      cni ADD c1 "$ns" "$config"; cni_ok "trial $n: ADD"
      what="trial $n: DEL killed at $step"
      NSNET_FAULT_AT=$step cni DEL c1 "$ns" "$config"
    else
      what="trial $n: ADD killed at $step"
      NSNET_FAULT_AT=$step cni ADD c1 "$ns" "$config"
    fi
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

# GC (keeping warm) sweeps the temp files of writers killed between writing
# and renaming (trials at state-write leave one each).
[ -n "$(find "$STATE" -name '.*.tmp[0-9]*')" ] || fail "no temp file left by the state-write trials"
cni GC "" "" "$(jq -c '."cni.dev/valid-attachments" = [{"containerID": "warm", "ifname": "eth0"}]' <<<"$config")"
cni_ok "GC"
left=$(find "$STATE" -name '.*.tmp[0-9]*')
[ -z "$left" ] || fail "temp files left after GC: $left"
echo "ok: GC swept the temp files of killed writers"
echo PASS
