#!/usr/bin/env bash
# A network's lock held by a stuck caller makes an ADD fail with code 11 (try
# again later) once NSNET_LOCK_TIMEOUT passes, instead of hanging; the ADD
# then succeeds once the lock is free.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

ns=$(new_netns c1)
config=$(cni_config 1.0.0)
lock="$STATE/networks/testnet/lock"
mkdir -p "$(dirname "$lock")"
exec 9>"$lock"
flock 9   # this shell is the stuck holder
start=$(date +%s)
NSNET_LOCK_TIMEOUT=1 cni ADD c1 "$ns" "$config"
took=$(( $(date +%s) - start ))
cni_error "ADD while the lock is held" 11 "try again later"
[ "$took" -le 10 ] || fail "the lock wait took ${took}s, past its 1 s bound"
exec 9>&-
cni ADD c1 "$ns" "$config"
cni_ok "ADD once the lock is free"
