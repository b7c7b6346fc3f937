"""Port publishing: the cost of one more published port when EXISTING
mappings are already in place (on a base container of the same network).

Measured per side as a runtime pays it, interleaved over REPS probe
containers: the ADD (and DEL) of a container with one portMapping through
the whole chain, and, where the publishing step is a separate exec, that
step alone: the reference portmap plugin in its chain after bridge, and
`nsnet publish` (and `unpublish`) of one more port on a namespace made by
`nsnet create -p` with the EXISTING ports, on a network of its own.
"""
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import cni
import netns
from cni import PATH, side_spawner
from cni_round import rotated

BASE_PORT, PROBE_PORT = 20000, 40000
# Seconds the base container's EXISTING mappings may take to set up: the
# reference and netavark exec iptables once per rule, which grows with the
# rules already there, so 1000 mappings take minutes on a busy machine.
SETUP_TIMEOUT = int(os.environ.get("BENCH_SETUP_TIMEOUT", 120))


def cni_mappings(first, count):
    return [{"hostPort": first + j, "containerPort": 8000 + j % 1000, "protocol": "tcp"}
            for j in range(count)]


def netavark_mappings(first, count):
    return [{"host_ip": "", "container_port": 8000 + j % 1000, "host_port": first + j,
             "range": 1, "protocol": "tcp"} for j in range(count)]


class NsnetPublish:
    """`nsnet publish NAME HOSTPORT:PORT` (DEL: `nsnet unpublish`) on the
    namespace NAME made by `nsnet create -p` with the existing ports, in a
    host netns and a state dir of its own (port reservations are per state
    dir, and the host ports are the nsnet CNI side's too)."""

    label, netns_prefix, name = "nsnet publish", "pq", "pqbase"

    def __init__(self, nsnet_binary):
        self.nsnet = nsnet_binary
        self.spawner = side_spawner(self.netns_prefix)

    def _run(self, *args, timeout=None):
        env = {"PATH": PATH, "NSNET_STATE_DIR": f"/run/bench-state-{self.netns_prefix}"}
        return self.spawner.run([self.nsnet, *args], env, b"", timeout)

    def netns(self, i):
        return f"{self.netns_prefix}-{i}"  # unused: publish needs no netns per probe

    def setup(self, existing, timeout):
        last = BASE_PORT + existing - 1
        spec = (f"{BASE_PORT}:8000" if existing == 1
                else f"{BASE_PORT}-{last}:8000-{8000 + existing - 1}")
        made = self._run("network", "create", "pubnet", "--subnet", "10.60.0.0/16",
                         "--bridge", "pqbr0")
        if made.rc != 0:
            return [made]
        return [made, self._run("create", self.name, "--network", "pubnet", "-p", spec,
                                timeout=timeout)]

    def add(self, k):
        return [self._run("publish", self.name, f"{PROBE_PORT + k}:9000")]

    def delete(self, k):
        return [self._run("unpublish", self.name, f"{PROBE_PORT + k}:9000")]


def give_mappings(side, i, first, count):
    if isinstance(side, NsnetPublish):
        return
    if isinstance(side, cni.Netavark):
        side.port_mappings[i] = netavark_mappings(first, count)
    else:
        side.runtime_config[i] = {"portMappings": cni_mappings(first, count)}


def published(side, port):
    """True if port appears in the ruleset of the side's host netns: the
    mapping was made, not silently ignored."""
    text = subprocess.run(["ip", "netns", "exec", cni.host_netns(side.netns_prefix), "nft",
                           "list", "ruleset"], capture_output=True, text=True).stdout
    return re.search(rf"\b{port}\b", text) is not None


def has_publish(nsnet_binary):
    """True if this build has `nsnet publish`."""
    return subprocess.run([nsnet_binary, "publish", "--help"], capture_output=True).returncode == 0


def set_up(side, existing):
    if isinstance(side, NsnetPublish):
        return side.setup(existing, SETUP_TIMEOUT)
    return side.add(0, timeout=SETUP_TIMEOUT)


def run_ports(existing, reps, nsnet_binary):
    sides, failed = cni.make_sides(nsnet_binary, "p", with_portmap=True)
    netns.add_namespaces(s.netns(i) for s in sides for i in range(reps + 1))
    if has_publish(nsnet_binary):
        sides.append(NsnetPublish(nsnet_binary))
    else:
        failed["nsnet publish"] = "this nsnet has no `publish` command"
    result = {"existing": existing, "reps": reps, "add": {}, "del": {}, "publish_step": {}}
    for side in sides:
        give_mappings(side, 0, BASE_PORT, existing)
    # Untimed and independent (each side in its own host netns): side by side.
    with ThreadPoolExecutor(len(sides)) as pool:
        bases = list(pool.map(lambda side: set_up(side, existing), sides))
    result["base_seconds"] = {}
    for side, out in zip(sides, bases):
        result["base_seconds"][side.label] = sum(o.seconds for o in out)
        reason = next((o.failure() for o in out if o.rc != 0), None)
        if not reason and not published(side, BASE_PORT + existing - 1):
            reason = f"ADD succeeded but host port {BASE_PORT + existing - 1} is in no nft rule"
        if reason:
            failed[side.label] = f"base container with {existing} mappings: {reason}"
    live = [s for s in sides if s.label not in failed]
    for side in live:
        result["add"][side.label], result["del"][side.label] = [], []
    for op in ("add", "del"):
        for k in range(1, reps + 1):
            for side in rotated(live, k):
                if side.label in failed:
                    continue
                if op == "add":
                    give_mappings(side, k, PROBE_PORT + k, 1)
                outcomes = side.add(k) if op == "add" else side.delete(k)
                reason = next((o.failure() for o in outcomes if o.rc != 0), None)
                if reason:
                    failed[side.label] = f"{op} with one mapping: {reason}"
                    continue
                result[op][side.label].append(sum(o.seconds for o in outcomes))
                if op == "add" and len(outcomes) > 1:  # the portmap step of the chain
                    result["publish_step"].setdefault("reference portmap", []).append(
                        outcomes[-1].seconds)
                if op == "add" and k == 1 and not published(side, PROBE_PORT + k):
                    failed[side.label] = f"ADD with one mapping succeeded but host port " \
                                         f"{PROBE_PORT + k} is in no nft rule"
    for table in ("add", "del"):
        result[table] = {k: v for k, v in result[table].items() if k not in failed}
    result["not_measured"] = failed
    return result
