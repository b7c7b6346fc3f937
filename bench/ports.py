"""Port publishing: the cost of one more published port when EXISTING
mappings are already in place (on a base container of the same network).

Measured per side as a runtime pays it, interleaved over REPS probe
containers: the ADD (and DEL) of a container with one portMapping through
the whole chain, and, where the publishing step is a separate exec, that
step alone: the reference portmap plugin in its chain after bridge, and
`nsnet publish` on a running attachment.
"""
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import cni
import netns
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


def give_mappings(side, i, first, count):
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


def publish_command(nsnet_binary):
    """`nsnet publish` if this build has it, else None."""
    probe = subprocess.run([nsnet_binary, "publish", "--help"], capture_output=True)
    return [nsnet_binary, "publish"] if probe.returncode == 0 else None


def run_ports(existing, reps, nsnet_binary):
    sides, failed = cni.make_sides(nsnet_binary, "p", with_portmap=True)
    netns.add_namespaces(s.netns(i) for s in sides for i in range(reps + 1))
    result = {"existing": existing, "reps": reps, "add": {}, "del": {}, "publish_step": {}}
    for side in sides:
        give_mappings(side, 0, BASE_PORT, existing)
    # Untimed and independent (each side in its own host netns): side by side.
    with ThreadPoolExecutor(len(sides)) as pool:
        bases = list(pool.map(lambda side: side.add(0, timeout=SETUP_TIMEOUT), sides))
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
    if publish_command(nsnet_binary) is None:
        failed["nsnet publish"] = "this nsnet has no `publish` command"
    for table in ("add", "del"):
        result[table] = {k: v for k, v in result[table].items() if k not in failed}
    result["not_measured"] = failed
    return result
