# tests/nat_lib.sh: the topology of the NAT and publishing tests (source it,
# inside scripts/sandbox only). The sandbox's root netns is "the host":
#   outside  netns, 203.0.113.2/24 + 2001:db8::2/64, joined to the host by veth
#            ext0 (203.0.113.1, 2001:db8::1, and extra host IPs given later)
#   nsnet0   bridge on the host, 10.0.0.1/24 + fd00::1/64
#   NAME     container netns, 10.0.0.N/24 on a veth into nsnet0 (hairpin on)
source "$NSNET_SRC/tests/lib.sh"
TOOLS=$NSNET_SRC/tests/tools
FWDRIVER=$NSNET_BUILD/tests/fwdriver
BG_PIDS=()
trap 'for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; cleanup_jobs' EXIT

make_outside() {
  ip netns add outside
  ip link add ext0 type veth peer name eth0 netns outside
  ip addr add 203.0.113.1/24 dev ext0
  ip addr add 2001:db8::1/64 dev ext0 nodad
  ip link set ext0 up
  ip -n outside link set lo up
  ip -n outside addr add 203.0.113.2/24 dev eth0
  ip -n outside addr add 2001:db8::2/64 dev eth0 nodad
  ip -n outside link set eth0 up
  ip -n outside route add default via 203.0.113.1
  ip -n outside -6 route add default via 2001:db8::1
  sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

make_bridge() {
  # (a MAC of its own: by default a bridge takes its lowest port MAC, which
  # changes as containers join, under the ARP caches of the others)
  ip link add nsnet0 address 02:00:00:00:00:10 type bridge
  ip addr add 10.0.0.1/24 dev nsnet0
  ip addr add fd00::1/64 dev nsnet0 nodad
  ip link set nsnet0 up
}

# make_container NAME N: netns NAME with 10.0.0.N/24 and fd00::N/64.
make_container() {
  local name=$1 n=$2
  ip netns add "$name"
  ip link add "v-$name" type veth peer name eth0 netns "$name"
  ip link set "v-$name" master nsnet0 up
  bridge link set dev "v-$name" hairpin on
  ip -n "$name" link set lo up
  ip -n "$name" addr add "10.0.0.$n/24" dev eth0
  ip -n "$name" addr add "fd00::$n/64" dev eth0 nodad
  ip -n "$name" link set eth0 up
  ip -n "$name" route add default via 10.0.0.1
  ip -n "$name" -6 route add default via fd00::1
}

# record NAME N [PORTS_JSON] [HOST_IP]: the firewall record of container NAME.
record() {
  local host_ip=""
  [ -n "${4:-}" ] && host_ip=",\"hostIP\":\"$4\""
  echo "{\"network\":\"nsnet\",\"containerId\":\"$1\",\"ifname\":\"eth0\",\"bridge\":\"nsnet0\",\"addresses\":[\"10.0.0.$2/24\",\"fd00::$2/64\"],\"portMappings\":${3:-[]}$host_ip}"
}

# bg CMD...: runs CMD in the background until the test exits.
bg() { "$@" & BG_PIDS+=($!); }

# wait_listen NETNS PORT [udp]: waits until something listens there (NETNS
# "host": the sandbox's root netns).
wait_listen() {
  local flag=-ltn; [ "${3:-}" = udp ] && flag=-lun
  wait_for 30 "nothing listens on port $2 in $1" listens "$1" "$flag" "$2"
}
listens() {  # listens NETNS FLAG PORT
  local in=(ip netns exec "$1"); [ "$1" = host ] && in=()
  "${in[@]}" ss -H "$2" "sport = :$3" | grep -q .
}

# expect OUTPUT PATTERN WHAT: fails unless OUTPUT contains PATTERN.
expect() { [[ "$1" == *"$2"* ]] || fail "$3: got '$1', expected '$2'"; }
