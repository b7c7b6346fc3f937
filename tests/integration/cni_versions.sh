#!/usr/bin/env bash
# Every supported spec version through ADD / CHECK / DEL (and STATUS / GC
# where the version has them): result format per version, and nothing left.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
source "$NSNET_SRC/tests/cni_lib.sh"

before=$(host_state)

cni VERSION "" "" '{"cniVersion": "1.0.0"}'
cni_ok VERSION
jq -e '.supportedVersions == ["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]' <<<"$OUT" >/dev/null \
  || fail "VERSION: $OUT"

for version in 0.3.0 0.3.1 0.4.0 1.0.0 1.1.0; do
  id=c-${version//./-}
  # Runtimes name the netns apart from the container (podman: netns-UUID).
  ns=$(new_netns "ns-$id")
  config=$(cni_config "$version")

  cni ADD "$id" "$ns" "$config"
  cni_ok "ADD $version"
  r=$OUT
  jq -e --arg v "$version" '.cniVersion == $v' <<<"$r" >/dev/null || fail "ADD $version: cniVersion: $r"
  jq -e '.interfaces | length == 3' <<<"$r" >/dev/null || fail "ADD $version: interfaces: $r"
  jq -e --arg ns "$ns" '.interfaces[2] == (.interfaces[2] | {name: "eth0", mac, sandbox: $ns})' <<<"$r" >/dev/null \
    || fail "ADD $version: container interface: $r"
  jq -e '.interfaces[0].name == "nsnet-t0" and (.interfaces[0] | has("sandbox") | not)' <<<"$r" >/dev/null \
    || fail "ADD $version: bridge interface: $r"
  jq -e '.ips[0].interface == 2 and .ips[0].gateway == "10.99.0.1" and (.ips[0].address | startswith("10.99.0."))' \
    <<<"$r" >/dev/null || fail "ADD $version: ips: $r"
  if [[ $version == 0.* ]]; then
    jq -e '.ips[0].version == "4"' <<<"$r" >/dev/null || fail "ADD $version: ips[].version missing: $r"
  else
    jq -e '.ips[0] | has("version") | not' <<<"$r" >/dev/null || fail "ADD $version: ips[].version present: $r"
  fi
  address=$(jq -r '.ips[0].address' <<<"$r")
  ip netns exec "ns-$id" ip -o addr show eth0 | grep "inet $address" >/dev/null || fail "ADD $version: $address not on eth0"
  ip netns exec "ns-$id" ip route show default | grep "via 10.99.0.1" >/dev/null || fail "ADD $version: no default route"
  ip netns exec "ns-$id" busybox ping -c1 -W2 10.99.0.1 >/dev/null || fail "ADD $version: gateway unreachable"

  with_prev=$(jq -c --argjson r "$r" '.prevResult = $r' <<<"$config")
  cni CHECK "$id" "$ns" "$with_prev"
  if [[ $version == 0.3.* ]]; then
    cni_error "CHECK $version" 1 "CHECK needs cniVersion 0.4.0"
  else
    cni_ok "CHECK $version"
    # CHECK notices what is broken.
    ip netns exec "ns-$id" ip addr flush dev eth0
    cni CHECK "$id" "$ns" "$with_prev"
    [ "$RC" != 0 ] || fail "CHECK $version passed with the address gone"
    ip netns exec "ns-$id" ip addr add "$address" dev eth0
    ip netns exec "ns-$id" ip route add default via 10.99.0.1
  fi

  cni STATUS "" "" "$config"
  if [ "$version" = 1.1.0 ]; then cni_ok "STATUS $version"; else cni_error "STATUS $version" 1 "STATUS needs"; fi

  if [ "$version" = 1.1.0 ]; then
    # GC keeps what is listed, under either key name...
    for key in cni.dev/valid-attachments cni.dev/attachments; do
      cni GC "" "" "$(jq -c --arg k "$key" --arg id "$id" '.[$k] = [{containerID: $id, ifname: "eth0"}]' <<<"$config")"
      cni_ok "GC $key keeping $id"
      ip netns exec "ns-$id" ip -o addr show eth0 | grep "inet $address" >/dev/null || fail "GC removed a valid attachment"
    done
    # ...and frees what is not.
    cni GC "" "" "$(jq -c '.["cni.dev/valid-attachments"] = []' <<<"$config")"
    cni_ok "GC $version"
    ip netns exec "ns-$id" ip link show eth0 >/dev/null 2>&1 && fail "GC left eth0 in $id"
    [ -z "$(leases)" ] || fail "GC left leases: $(leases)"
  fi

  cni DEL "$id" "$ns" "$with_prev"
  cni_ok "DEL $version"
  cni DEL "$id" "$ns" "$config"
  cni_ok "DEL $version again (idempotent, no prevResult)"
  ip netns delete "ns-$id"
  [ -z "$(leases)" ] || fail "DEL $version left leases: $(leases)"
  echo "ok: $version"
done

cni GC "" "" "$(cni_config 1.0.0 '.["cni.dev/valid-attachments"] = []')"
cni_error "GC below 1.1.0" 1 "GC needs"
[ "$(host_state)" = "$before" ] || { diff <(echo "$before") <(host_state); fail "host state changed"; }
echo "PASS"
