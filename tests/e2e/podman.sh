#!/usr/bin/env bash
# Podman 4.3 with its CNI backend runs containers on a network that
# `nsnet network create` made, with nothing configured but CONTAINERS_CONF:
# address and default route, two containers talking, a static address, a
# published port (-p, through nsnet's portMappings capability, no portmap
# plugin), and `podman rm` leaving no veth, lease or firewall element behind.
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
command -v podman >/dev/null || skip "podman is not installed (scripts/setup installs it)"
command -v runc >/dev/null || skip "runc is not installed (scripts/setup installs it)"

T=/run/podman-e2e
mkdir -p "$T/bin" "$T/tmp" "$T/rootfs/bin" "$T/rootfs/www"
# A runtime finds plugins by type in its plugin dirs: ours next to the reference ones.
ln -sf "$NSNET" "$T/bin/nsnet"
# Podman's cgroups go under a parent of ours, removed at the end (cgroups are
# not sandboxed).
CGROUP_PARENT=/nsnet-e2e-$$
cleanup_cgroups() {
  podman rm -af -t 0 >/dev/null 2>&1 || true
  local dir
  for dir in /sys/fs/cgroup/*"$CGROUP_PARENT" /sys/fs/cgroup"$CGROUP_PARENT"; do
    [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  return 0
}
trap cleanup_cgroups EXIT

cat >"$T/containers.conf" <<EOF2
[containers]
cgroups = "enabled"
[network]
network_backend = "cni"
network_config_dir = "/etc/cni/net.d"
cni_plugin_dirs = ["$T/bin", "/usr/lib/cni"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "none"
EOF2
cat >"$T/storage.conf" <<EOF2
[storage]
driver = "vfs"
runroot = "$T/runroot"
graphroot = "$T/graph"
EOF2
export CONTAINERS_CONF=$T/containers.conf CONTAINERS_STORAGE_CONF=$T/storage.conf TMPDIR=$T/tmp
RUN=(podman run --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024
     --cgroup-parent "$CGROUP_PARENT")

# A busybox image from busybox-static (its wget crashes: nc does the client).
cp "$(command -v busybox)" "$T/rootfs/bin/busybox"
for applet in sh ip cat sleep nc httpd tail printf grep; do ln -s busybox "$T/rootfs/bin/$applet"; done
echo "hello from a" >"$T/rootfs/www/index.html"
tar -C "$T/rootfs" -cf "$T/busybox.tar" .
podman import -q "$T/busybox.tar" localhost/busybox:nsnet >/dev/null

"$NSNET" network create mail --subnet 10.10.0.0/24 >/dev/null
podman network ls --format '{{.Name}}' | grep -x mail >/dev/null || fail "podman does not see network mail"

out=$("${RUN[@]}" --rm --network mail localhost/busybox:nsnet sh -c 'ip -o -4 addr show eth0; ip route') \
  || fail "podman run --network mail: $out"
echo "$out"
grep "inet 10.10.0.[0-9]*/24" <<<"$out" >/dev/null || fail "no address from 10.10.0.0/24: $out"
grep "default via 10.10.0.1" <<<"$out" >/dev/null || fail "no default route via 10.10.0.1: $out"

# Two containers reach each other; one with a static address (ips capability).
"${RUN[@]}" -d --name a --network mail --ip 10.10.0.50 -p 18080:8080 localhost/busybox:nsnet \
  httpd -f -p 8080 -h /www >/dev/null
a_ip=$(podman inspect a --format '{{.NetworkSettings.Networks.mail.IPAddress}}')
[ "$a_ip" = 10.10.0.50 ] || fail "container a has $a_ip, not the requested 10.10.0.50"
got=$("${RUN[@]}" --rm --network mail localhost/busybox:nsnet sh -c \
  'for i in 1 2 3 4 5 6 7 8 9 10; do
     printf "GET / HTTP/1.0\r\n\r\n" | nc -w 2 10.10.0.50 8080 | tail -1 | grep . && exit 0; sleep 0.3
   done; exit 1') \
  || fail "container b cannot reach a at 10.10.0.50:8080"
[ "$got" = "hello from a" ] || fail "b got '$got' from a"
echo "ok: b reached a: $got"
# The published port, from the host to its own address (conmon holds 18080
# open as Podman's reservation; nsnet's DNAT takes the traffic).
got=$(curl -s --max-time 5 http://10.10.0.1:18080/) || fail "published port 18080 does not answer"
[ "$got" = "hello from a" ] || fail "host got '$got' from a through -p 18080:8080"
echo "ok: podman -p 18080:8080 reached a"

id=$(podman inspect a --format '{{.Id}}')
podman rm -f -t 0 a >/dev/null
ip -o link show | grep nsv >/dev/null && fail "podman rm left a veth: $(ip -o link show | grep nsv)"
leases=$(find /run/nsnet -path '*leases*' -type f ! -path '*owners*' ! -name 'last_reserved*' ! -name lock 2>/dev/null || true)
[ -z "$leases" ] || fail "podman rm left leases: $leases"
nft list ruleset 2>/dev/null | grep "$id" >/dev/null && fail "podman rm left firewall elements of $id"
"$NSNET" network rm mail
podman network ls --format '{{.Name}}' | grep -x mail >/dev/null && fail "podman still sees mail after network rm"
echo "PASS"
