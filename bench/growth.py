"""Where ADD's growth with the number of attached containers comes from.

Two fills of a network, SMALL = N/20 and BIG = 19N/20 containers: the
midpoints of the first and the last 10% of a round of N, which the CNI
rounds' growth figure compares. Each fill is a world of its own: its own
"host" netns, and for nsnet its own state dir (NSNET_STATE_DIR), so nothing
the two share can hide growth; the raw-netlink floor (bench/netlink_floor)
gets the same two fills on bridges of its own.

- Timing, robust to noise: REPS probe containers are ADDed (timed) and
  DELeted again on all four worlds in turn, rotated each repetition, so
  machine noise hits the fills alike. Growth = p50 at BIG / p50 at SMALL.
  Beside the wall time, each process's CPU time (user + system, from
  wait4), which waiting for a CPU on a loaded machine does not inflate.
- Instructions, deterministic: one more ADD at each fill under callgrind,
  the instructions nsnet's user space executed, per function.
- Kernel operations: one more ADD at each fill under `strace -f -T`, three
  times, each syscall's count, bytes and time, grouped by what it does (the
  netlink message, the /proc/sys or state file); the same for the floor.
"""
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from collections import defaultdict

import netns
from cni import host_netns, nsnet_side
from floor import make_bridge
from spawn import Spawner, check

STRACE_REPS = 3
# The worlds' names, in every name they make (netns, bridge, state dir).
TAGS = ("growsmall", "growbig", "floorsmall", "floorbig")


def fills(n):
    return max(1, n // 20), max(2, (19 * n) // 20)


class NsnetWorld:
    """nsnet on a network with `fill` containers, in a host netns and a
    state dir of its own; the probe is container index `fill`."""

    def __init__(self, nsnet_binary, tag, fill, subnet):
        self.fill = fill
        self.side = nsnet_side(nsnet_binary, tag, network=tag, bridge=f"{tag}br0",
                               subnet=subnet)
        self.side.extra_env = {"NSNET_STATE_DIR": f"/run/bench-state-{tag}"}
        netns.add_namespaces(self.side.netns(i) for i in range(fill + 1))

    def fill_up(self):
        for i in range(self.fill):
            check_all(self.side.add(i))

    def probe_add(self):
        out = check_all(self.side.add(self.fill))
        return sum(o.seconds for o in out), sum(o.cpu_seconds for o in out)

    def probe_del(self):
        out = check_all(self.side.delete(self.fill))
        return sum(o.seconds for o in out), sum(o.cpu_seconds for o in out)

    def under(self, tool_argv):
        """One probe ADD run under tool_argv (then DEL, untimed)."""
        env, stdin = self.side.exec_args("ADD", self.fill)
        out = check(self.side.spawner.run(tool_argv + [self.side.conf_list[0][0]], env, stdin))
        self.side.results[self.fill] = None
        check_all(self.side.delete(self.fill))
        return out


class FloorWorld:
    """The raw-netlink floor with `fill` containers on its own bridge in its
    own host netns; the probe is container `fill`, removed by `ip link del`."""

    def __init__(self, binary, tag, fill, base):
        self.binary, self.fill, self.base = binary, fill, base
        self.host, self.prefix, self.bridge = host_netns(tag), tag, f"{tag}br0"
        netns.add_hosts([self.host])
        netns.ip_batch([f"link add {self.bridge} type bridge",
                        f"addr add {base}.0.1/16 dev {self.bridge}",
                        f"link set {self.bridge} up"], netns=self.host)
        netns.add_namespaces(f"{tag}-{i}" for i in range(fill + 1))
        self.spawner = Spawner(netns=f"/run/netns/{self.host}")

    def argv(self, first, count):
        return [self.binary, self.bridge, self.prefix, str(count), self.base, str(first)]

    def fill_up(self):
        check(self.spawner.run(self.argv(0, self.fill)))

    def probe_add(self):
        out = check(self.spawner.run(self.argv(self.fill, 1)))
        return float(out.stdout.split()[0]), out.cpu_seconds

    def probe_del(self):
        out = check(self.spawner.run([shutil.which("ip"), "-n", f"{self.prefix}-{self.fill}",
                                      "link", "del", "eth0"]))
        return out.seconds, out.cpu_seconds

    def under(self, tool_argv):
        out = check(self.spawner.run(tool_argv + self.argv(self.fill, 1)))
        self.probe_del()
        return out


def check_all(outcomes):
    for o in outcomes:
        check(o)
    return outcomes


# --- callgrind: instructions per function -------------------------------

ANNOTATE_LINE = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+(.*?)(?:\s+\(\d+x\))?\s*$")


def callgrind(world, workdir, label):
    out_file = os.path.join(workdir, f"callgrind.{label}")
    world.under([shutil.which("valgrind"), "--tool=callgrind", "-q", f"--callgrind-out-file={out_file}"])
    return {"exclusive": annotate(out_file, False), "inclusive": annotate(out_file, True)}


def annotate(path, inclusive):
    """{function: instructions} and the total, from callgrind_annotate's
    function list. A function inlined into several files has a line per
    file: exclusive costs add up, inclusive ones overlap (the largest)."""
    text = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}",
                           "--threshold=100", "--auto=no", path], capture_output=True,
                          text=True, check=True).stdout
    costs = {}
    for line in text.splitlines():
        m = ANNOTATE_LINE.match(line)
        if not m:
            continue
        name = re.sub(r"\s*\[[^\]]*\]$", "", m.group(2))  # the [object]
        if name != "PROGRAM TOTALS":
            name = name.split(":", 1)[1] if ":" in name else name  # the file
        cost = int(m.group(1).replace(",", ""))
        costs[name] = max(costs.get(name, 0), cost) if inclusive else costs.get(name, 0) + cost
    return costs


def grown(small, big, top, only=None):
    """The `top` functions whose instructions grew most from small to big."""
    names = [n for n in set(small) | set(big) if n != "PROGRAM TOTALS" and
             (only is None or only(n))]
    rows = sorted(((big.get(n, 0) - small.get(n, 0), n) for n in names), reverse=True)[:top]
    return [{"function": n, "small": small.get(n, 0), "big": big.get(n, 0)} for _, n in rows]


# --- strace: kernel operations -------------------------------------------

SYSCALL = re.compile(r"^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)[^<]*<([\d.]+)>\s*$")
FD_PATH = re.compile(r"^\d+<([^>]*)>")
OPEN_PATH = re.compile(r'^[^,]*,\s*"([^"]*)"')
NLMSG_TYPE = re.compile(r"nlmsg_type=([A-Za-z0-9_<|]+)")
NETLINK_FAMILY = re.compile(r"<NETLINK:\[(\w+)")


def normalize(path):
    """A file path with its per-container parts (names, ids, numbers) and
    the world's name as #."""
    path = re.sub("|".join(TAGS), "#", path)
    path = re.sub(r"/conf/[^/]+/", "/conf/#/", path)
    path = re.sub(r"/neigh/[^/]+/", "/neigh/#/", path)
    return re.sub(r"[0-9a-f]{8,}|\d+", "#", path)


def operation(name, args):
    """What a syscall did, as a key: the netlink message it sent or received,
    the file it touched, or just its name."""
    family = NETLINK_FAMILY.search(args)
    if family:
        types = NLMSG_TYPE.findall(args)
        types = [t for t in dict.fromkeys(types) if t not in ("NLMSG_ERROR", "NLMSG_DONE")]
        kind = ",".join(t.replace("NFNL_SUBSYS_NFTABLES<<8|", "").replace("NFNL_MSG_", "")
                        for t in types[:4]) or "ack/done"
        dump = " dump" if "NLM_F_DUMP" in args or "NLM_F_MULTI" in args else ""
        protocol = "socket" if family.group(1).isdigit() else family.group(1).lower()
        return f"{name} netlink {protocol} {kind}{dump}"
    fd = FD_PATH.match(args)
    if fd and fd.group(1).startswith("/"):
        return f"{name} {normalize(fd.group(1))}"
    opened = OPEN_PATH.match(args)
    if name in ("openat", "open", "stat", "newfstatat", "access", "faccessat2", "mkdir",
                "mkdirat", "unlink", "unlinkat", "rename", "renameat", "renameat2") and opened:
        return f"{name} {normalize(opened.group(1))}"
    return name


def parse_strace(path):
    """{operation: [count, bytes, seconds]} of every finished syscall."""
    ops = defaultdict(lambda: [0, 0, 0.0])
    pending = {}
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.endswith("<unfinished ...>"):
                pid = line.split()[0]
                pending[pid] = line[: -len("<unfinished ...>")].rstrip()
                continue
            m = re.match(r"^(\d+)\s+<\.\.\. \w+ resumed>(.*)$", line)
            if m and m.group(1) in pending:
                line = pending.pop(m.group(1)) + m.group(2)
            s = SYSCALL.match(line)
            if not s:
                continue
            entry = ops[operation(s.group(2), s.group(3))]
            entry[0] += 1
            ret = s.group(4)
            if s.group(2) in ("read", "recvmsg", "recvfrom", "pread64") and ret.isdigit():
                entry[1] += int(ret)
            entry[2] += float(s.group(5))
    return ops


def strace(world, workdir, label):
    """Per operation: the median over STRACE_REPS runs of count, bytes, time."""
    runs = []
    for r in range(STRACE_REPS):
        out_file = os.path.join(workdir, f"strace.{label}.{r}")
        world.under([shutil.which("strace"), "-f", "-T", "-yy", "-s", "64", "-qq", "-o", out_file])
        runs.append(parse_strace(out_file))
    keys = set().union(*runs)
    return {k: [statistics.median(run.get(k, [0, 0, 0.0])[j] for run in runs) for j in range(3)]
            for k in keys}


def top_kernel_growth(small, big, top):
    rows = sorted(((big.get(k, [0, 0, 0.0])[2] - small.get(k, [0, 0, 0.0])[2], k)
                   for k in set(small) | set(big)), reverse=True)[:top]
    return [{"operation": k, "small": small.get(k, [0, 0, 0.0]), "big": big.get(k, [0, 0, 0.0])}
            for _, k in rows]


def totals(ops):
    return [sum(v[j] for v in ops.values()) for j in range(3)]


# --- the phase -------------------------------------------------------------

def run_growth(n, reps, nsnet_binary, floor_binary):
    small_fill, big_fill = fills(n)
    result = {"n": n, "fills": [small_fill, big_fill], "reps": reps, "probes": {},
              "callgrind": {}, "strace": {}, "not_measured": {}}
    worlds = {("nsnet", "small"): NsnetWorld(nsnet_binary, TAGS[0], small_fill, "10.61.0.0/16"),
              ("nsnet", "big"): NsnetWorld(nsnet_binary, TAGS[1], big_fill, "10.62.0.0/16")}
    if floor_binary:
        worlds[("raw netlink floor", "small")] = FloorWorld(floor_binary, TAGS[2], small_fill,
                                                            "10.63")
        worlds[("raw netlink floor", "big")] = FloorWorld(floor_binary, TAGS[3], big_fill, "10.64")
    else:
        result["not_measured"]["raw netlink floor"] = "bench/netlink_floor not built"
    for world in worlds.values():
        world.fill_up()
    probes = {f"{side} {fill}": {"add": [], "del": [], "add_cpu": [], "del_cpu": []}
              for side, fill in worlds}
    order = list(worlds.items())
    for k in range(reps):
        for (side, fill), world in order[k % len(order):] + order[:k % len(order)]:
            for op, probe in (("add", world.probe_add), ("del", world.probe_del)):
                wall, cpu = probe()
                probes[f"{side} {fill}"][op].append(wall)
                probes[f"{side} {fill}"][f"{op}_cpu"].append(cpu)
    result["probes"] = probes
    with tempfile.TemporaryDirectory(prefix="bench-growth") as workdir:
        if shutil.which("valgrind") and shutil.which("callgrind_annotate"):
            small = callgrind(worlds[("nsnet", "small")], workdir, "small")
            big = callgrind(worlds[("nsnet", "big")], workdir, "big")
            result["callgrind"] = {
                "total": [small["exclusive"].get("PROGRAM TOTALS", 0),
                          big["exclusive"].get("PROGRAM TOTALS", 0)],
                "exclusive": grown(small["exclusive"], big["exclusive"], 10),
                "ours": grown(small["inclusive"], big["inclusive"], 10,
                              only=lambda f: f.startswith("nsnet::"))}
        else:
            result["not_measured"]["callgrind"] = "valgrind not installed"
        if shutil.which("strace"):
            for side in ("nsnet", "raw netlink floor"):
                if (side, "small") not in worlds:
                    continue
                small = strace(worlds[(side, "small")], workdir, f"{side}-small")
                big = strace(worlds[(side, "big")], workdir, f"{side}-big")
                result["strace"][side] = {"total": [totals(small), totals(big)],
                                          "top": top_kernel_growth(small, big, 12)}
        else:
            result["not_measured"]["strace"] = "strace not installed"
    return result
