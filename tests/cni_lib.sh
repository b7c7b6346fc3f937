# tests/cni_lib.sh: helpers for the CNI tests, sourced after tests/lib.sh.
# Sets up CNI_PATH as a runtime would: the nsnet binary (as plugin "nsnet")
# next to Debian's reference plugins.

CNI_BIN=/run/cni-bin
mkdir -p "$CNI_BIN" /run/netns
ln -sf "$NSNET" "$CNI_BIN/nsnet"
for plugin in /usr/lib/cni/*; do ln -sf "$plugin" "$CNI_BIN/"; done
export CNI_PATH=$CNI_BIN
STATE=${NSNET_STATE_DIR:-/run/nsnet}

# The test network's plugin config; cni_config VERSION [JQ-FILTER] varies it.
CNI_BASE='{"name": "testnet", "type": "nsnet", "bridge": "nsnet-t0",
  "ipam": {"type": "nsnet", "ranges": [[{"subnet": "10.99.0.0/24"}]]}}'
cni_config() { jq -c --arg v "$1" ".cniVersion = \$v | ${2:-.}" <<<"$CNI_BASE"; }

# cni CMD ID NETNS CONFIG [IFNAME]: one plugin call, as a runtime makes it.
# Sets OUT (stdout) and RC; stderr goes to $ERR_FILE.
ERR_FILE=/run/cni-test.err
cni() {
  local cmd=$1 id=$2 netns=$3 config=$4 ifname=${5:-eth0}
  set +e
  OUT=$(env CNI_COMMAND="$cmd" CNI_CONTAINERID="$id" CNI_NETNS="$netns" CNI_IFNAME="$ifname" \
        "$CNI_BIN/nsnet" <<<"$config" 2>"$ERR_FILE")
  RC=$?
  set -e
}

# cni_ok WHAT: the last call succeeded.
cni_ok() { [ "$RC" = 0 ] || fail "$1: exit $RC, stdout: $OUT, stderr: $(cat "$ERR_FILE")"; }

# cni_error WHAT CODE PATTERN: the last call failed with CNI error CODE, its
# msg matching PATTERN, and stdout held that one error object and nothing else.
cni_error() {
  local what=$1 code=$2 pattern=$3
  [ "$RC" != 0 ] || fail "$what: succeeded: $OUT"
  jq -e --argjson c "$code" '.code == $c and (.msg | type == "string") and (.cniVersion | type == "string")' \
    <<<"$OUT" >/dev/null || fail "$what: expected code $code, got: $OUT"
  [ "$(jq -s length <<<"$OUT")" = 1 ] || fail "$what: more than one JSON value on stdout: $OUT"
  jq -r .msg <<<"$OUT" | grep -q -- "$pattern" || fail "$what: expected '$pattern' in: $OUT"
  echo "ok: $what: $(jq -c . <<<"$OUT")"
}

# new_netns NAME: a named netns for a container.
new_netns() { ip netns add "$1"; echo "/run/netns/$1"; }

# host_state: what a failed or undone call must leave as it found it: links,
# addresses, routes and the state dir's files (but the log).
host_state() {
  ip -o link show | awk -F': ' '{print $2}' | sort
  # (IPv6 link-local addresses and routes come and go on their own, late)
  ip -o addr show | awk '{print $2, $4}' | grep -v ' fe80:' | sort
  ip route show table all | grep -Ev 'fe80:|^multicast ff00::/8' | sort
  # (lock files and the allocator's round-robin position stay: no attachment's)
  { find "$STATE" -type f ! -name cni.log ! -name lock ! -name 'last_reserved.*' 2>/dev/null || true; } | sort
}

# leases: the lease files of the test network (addresses in use).
leases() {
  { find "$STATE" -path '*leases*' -type f ! -path '*owners*' ! -name 'last_reserved*' ! -name lock \
      2>/dev/null || true; } | sort
}
