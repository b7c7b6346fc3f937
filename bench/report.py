"""RESULTS.md and add_latency.png from the phases' raw results."""
import os
import re
import shutil
import subprocess

from stats import growth, percentile, ratio, summary

MIB = 1024.0


def ms(seconds):
    return "–" if seconds is None else f"{seconds * 1000:.1f}"


def times(x):
    return "–" if x is None else f"{x:.2f}×"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def p50(samples):
    return percentile(samples or [], 0.5)


def short(function):
    """A C++ function name without parameter lists, ABI tags and const."""
    function = function.replace("[abi:cxx11]", "").removesuffix(" const")
    function = re.sub(r"\((?:[^()]|\([^()]*\))*\)", "", function)
    return function + "()" if function.endswith("::operator") else function


class Report:
    def __init__(self, results, meta):
        self.results, self.meta = results, meta
        self.ns = sorted(int(k.split("-")[1]) for k in results if k.startswith("cni-"))
        self.out = []
        self.not_measured = []

    def cni(self, n):
        return self.results.get(f"cni-{n}", {})

    def side_samples(self, n, side):
        return self.cni(n).get("samples", {}).get(side)

    def collect_not_measured(self):
        for key, result in sorted(self.results.items()):
            if "error" in result:
                self.not_measured.append(f"{key}: the phase failed ({result['error']})")
            for side, reason in result.get("not_measured", {}).items():
                self.not_measured.append(f"{key}, {side}: {reason}")
            if result.get("stopped"):
                self.not_measured.append(f"{key}: {result['stopped']}")

    def headline(self):
        rows = []
        first, last = (self.ns[0], self.ns[-1]) if self.ns else (None, None)
        ours = self.side_samples(first, "nsnet") if first else None
        ref = self.side_samples(first, "reference") if first else None
        r = ratio(p50(ours["add"]) if ours else None, p50(ref["add"]) if ref else None)
        rows.append(self.verdict(f"ADD p50 vs reference bridge+host-local, N={first}",
                                 ">= 7× faster", r, r is not None and r >= 7,
                                 f"{times(r)} faster"))
        big = self.side_samples(last, "nsnet") if last else None
        rows.append(self.growth_verdict(last, big))
        nv = self.side_samples(last, "netavark") if last else None
        d = ratio(p50(big["del"]) if big else None, p50(nv["del"]) if nv else None)
        rows.append(self.verdict(f"DEL p50 vs netavark teardown, N={last}", "no slower",
                                 d, d is not None and d >= 1, f"{times(d)} faster"))
        start = self.results.get("launcher", {}).get("start", {})
        run = p50(start.get("nsnet run"))
        rc = ratio(run, p50(start.get("runc")))
        rows.append(self.verdict("`nsnet run` start vs runc", "<= 1/8 of runc (>= 8×)", rc,
                                 rc is not None and rc >= 8, f"{times(rc)} faster"))
        un = p50(start.get("unshare"))
        ru = run / un if run and un else None
        rows.append(self.verdict("`nsnet run` start vs `unshare -fpmiu --mount-proc`",
                                 "<= 1.5× unshare", ru, ru is not None and ru <= 1.5,
                                 f"{times(ru)} unshare's time"))
        v2 = p50(start.get("nsnet run, cgroup v2"))
        if v2 and un:
            rows.append(self.verdict("the same on the cgroup v2 tree (CLONE_INTO_CGROUP, no move)",
                                     "<= 1.5× unshare", v2 / un, v2 / un <= 1.5,
                                     f"{times(v2 / un)} unshare's time"))
        rss = max(big["rss_kib"].values()) / MIB if big and big["rss_kib"] else None
        rows.append(self.verdict(f"plugin peak RSS (ADD/CHECK/DEL), N={last}", "<= 8 MiB", rss,
                                 rss is not None and rss <= 8,
                                 "–" if rss is None else f"{rss:.1f} MiB"))
        self.out.append("## Targets\n\n" + table(["target", "goal", "measured", "met"], rows)
                        + self.add_bound(first) + self.growth_why() + self.launcher_why(first))

    def growth_probes(self):
        """The growth phase's result (interleaved probes at two fills), if any."""
        return next((v for k, v in self.results.items() if k.startswith("growth-")), {})

    def growth_verdict(self, last, big):
        g = self.growth_probes()
        probes = g.get("probes", {})
        small, large = p50(probes.get("nsnet small", {}).get("add")), \
            p50(probes.get("nsnet big", {}).get("add"))
        classic = growth(big["add"]) if big and big["add"] else None
        if small and large:
            value = large / small
            fs, fb = g["fills"]
            floor = ratio(p50(probes.get("raw netlink floor small", {}).get("add")),
                          p50(probes.get("raw netlink floor big", {}).get("add")))
            text = (f"{times(value)} (interleaved probes at {fb} vs {fs} attached; raw-netlink "
                    f"floor {times(floor)}; in-round last/first 10%: {times(classic)})")
            return self.verdict(f"nsnet ADD growth, N={g['n']} (ADD p50 at the last 10% / "
                                "first 10%)", "<= 1.2", value, value <= 1.2, text)
        return self.verdict(f"nsnet ADD growth, N={last} (last 10% p50 / first 10% p50)",
                            "<= 1.2", classic, classic is not None and classic <= 1.2,
                            times(classic))

    def growth_why(self):
        """What the deterministic measures say about ADD's growth."""
        g = self.growth_probes()
        cg, st = g.get("callgrind"), g.get("strace", {}).get("nsnet")
        probes = g.get("probes", {})
        if not cg or not st or not probes.get("nsnet small"):
            return ""
        (a, b), ((c0, b0, _), (c1, b1, _)) = cg["total"], st["total"]
        fs, fb = g["fills"]

        def delta(side, key="add"):
            small, big = probes.get(f"{side} small"), probes.get(f"{side} big")
            if not small or not big:
                return None, None
            x, y = p50(small[key]), p50(big[key])
            return y - x, y / x if x else None

        ours, ours_ratio = delta("nsnet")
        floor, floor_ratio = delta("raw netlink floor")
        _, cpu_ratio = delta("nsnet", "add_cpu")
        same = abs(b - a) <= 0.005 * a and c0 == c1 and abs(b1 - b0) <= 0.01 * max(b0, 1)
        text = (f"\nADD growth, {fs} → {fb} attached: nsnet's user space executes "
                f"{a:,} → {b:,} instructions ({(b - a) / a * 100:+.3f}%) and makes "
                f"{c0:.0f} → {c1:.0f} syscalls reading {b0:,.0f} → {b1:,.0f} bytes"
                + (": the same work at both fills, nothing of ours grows" if same else
                   ": **nsnet's own work grows**") +
                f". Its ADD's p50 changed by {ms(ours)} ms ({times(ours_ratio)}; CPU time "
                f"{times(cpu_ratio)})")
        if floor is not None:
            text += f", the raw-netlink floor's by {ms(floor)} ms ({times(floor_ratio)})"
        if same:
            text += (", so what difference there is lies in the kernel's time for the same "
                     "operations (the kernel operations under the growth tables) or in noise")
        return text + ".\n"

    def launcher_why(self, n):
        l = self.results.get("launcher", {})
        attach, start = l.get("cgroup_attach"), l.get("start", {})
        un, run = p50(start.get("unshare")), p50(start.get("nsnet run"))
        floor = self.results.get(f"floor-{n}", {})
        version = p50(floor.get("exec_nsnet_version"))
        if not attach or not un or not run:
            return ""
        text = (f"\n`nsnet run` start: moving a process into a fresh cgroup alone takes "
                f"{ms(p50(attach))} ms here ({times(p50(attach) / un)} unshare's whole "
                f"{ms(un)} ms, which makes no cgroup)")
        if version:
            text += (f", and exec'ing the nsnet binary (`nsnet --version`) "
                     f"{ms(version)} ms")
        text += (f"; {ms(run)} ms for the whole start with pivot_root, mounts, a cgroup and a "
                 "netns")
        v2 = p50(start.get("nsnet run, cgroup v2"))
        if v2:
            text += (f". Started on the cgroup v2 tree instead, where clone3 puts the child "
                     f"straight into its cgroup, the same start takes {ms(v2)} ms")
        return text + ".\n"

    def add_bound(self, n):
        """The best ADD ratio any exec'd plugin could reach against the
        reference: its p50 over the exec floor plus the raw-netlink floor."""
        floor = self.results.get(f"floor-{n}", {})
        ref = self.side_samples(n, "reference")
        if not ref or not floor.get("netlink") or not floor.get("exec_true"):
            return ""
        bound = p50(floor["exec_true"]) + p50(floor["netlink"])
        return (f"\nKernel bound at N={n}: exec of a plugin ({ms(p50(floor['exec_true']))} ms) plus "
                f"the raw-netlink floor of its links ({ms(p50(floor['netlink']))} ms) is "
                f"{ms(bound)} ms, so no exec'd plugin can be more than "
                f"{times(ratio(bound, p50(ref['add'])))} faster than the reference's "
                f"{ms(p50(ref['add']))} ms here.\n")

    @staticmethod
    def verdict(what, goal, value, ok, text):
        return [what, goal, text if value is not None else "not measured (see below)",
                "–" if value is None else ("yes" if ok else "**no**")]

    def cni_tables(self):
        self.out.append(
            "## CNI ADD / CHECK / DEL latency (ms)\n\n"
            "Each side attaches N containers (netns made beforehand, untimed) to one network, "
            "interleaved container by container. ADD is timed for all N; CHECK and DEL for an "
            "evenly spread sample while the network is full. A time is the whole exec, as a "
            "runtime pays it. `× nsnet`: the side's p50 over nsnet's (above 1: nsnet is faster). "
            "netavark has no CHECK.\n")
        for n in self.ns:
            result = self.cni(n)
            rows, ours = [], result.get("samples", {}).get("nsnet")
            for side, s in result.get("samples", {}).items():
                row = [side]
                for op in ("add", "check", "del"):
                    st = summary(s[op])
                    row += [ms(st["p50"]), ms(st["p90"]), ms(st["max"])]
                row += [times(ratio(p50(ours["add"]), p50(s["add"]))) if ours else "–",
                        times(ratio(p50(ours["del"]), p50(s["del"]))) if ours else "–"]
                rows.append(row)
            sample = result.get("check_del_sample", 0)
            no_masq = [side for side, ok in result.get("masquerade", {}).items() if not ok]
            note = "".join(f"\n**{side} set up no masquerade** (its subnet is in no rule of its "
                           "host's ruleset): its ADD did less work than the others'.\n"
                           for side in no_masq)
            self.out.append(f"### N = {n} (CHECK/DEL sample: {sample})\n{note}\n" + table(
                ["side", "ADD p50", "p90", "max", "CHECK p50", "p90", "max", "DEL p50", "p90",
                 "max", "ADD × nsnet", "DEL × nsnet"], rows))
        rows = []
        for n in self.ns:
            for side, s in self.cni(n).get("samples", {}).items():
                tenth = max(1, len(s["add"]) // 10)
                rows.append([side, n, ms(p50(s["add"][:tenth])), ms(p50(s["add"][-tenth:])),
                             times(growth(s["add"]))])
            floor = self.results.get(f"floor-{n}", {})
            for key, label in (("netlink", "raw netlink floor (kernel only)"),
                               ("ip_batch", "ip -batch floor")):
                v = floor.get(key)
                if v:
                    tenth = max(1, len(v) // 10)
                    rows.append([label, n, ms(p50(v[:tenth])), ms(p50(v[-tenth:])), times(growth(v))])
        self.out.append("### Growth: ADD p50 of the first 10% against the last 10%\n\n"
                        "The floors make the same links for their containers one after the "
                        "other on one bridge, so their growth is the kernel's own.\n\n" + table(
            ["side", "N", "first 10% p50", "last 10% p50", "last / first"], rows))

    def growth_section(self):
        g = self.growth_probes()
        if not g.get("probes"):
            return
        fs, fb = g["fills"]
        rows = []
        for side in ("nsnet", "raw netlink floor"):
            small, big = g["probes"].get(f"{side} small"), g["probes"].get(f"{side} big")
            if not small or not big:
                continue
            for op in ("add", "del"):
                a, b = p50(small[op]), p50(big[op])
                ca, cb = p50(small.get(f"{op}_cpu")), p50(big.get(f"{op}_cpu"))
                rows.append([side, op.upper(), ms(a), ms(b), ms(b - a), times(b / a if a else None),
                             ms(ca), ms(cb), times(cb / ca if ca and cb else None)])
        text = (f"### Where the growth comes from (N = {g['n']})\n\n"
                f"The growth phase builds two fills of a network, {fs} and {fb} containers (the "
                "midpoints of the first and last 10% of a round of N), each in a host netns "
                "(and, for nsnet, a state dir) of its own, for nsnet and for the raw-netlink "
                f"floor. Then {g['reps']} probe containers are ADDed and DELeted on the four in "
                "turn, rotated, so machine noise hits both fills alike (the floor's DEL is "
                "`ip link del`, an exec; its ADD is timed in-process). CPU: the process's user + "
                "system time (wait4; the floor's includes its exec), which waiting for a CPU "
                "does not inflate. A growth that the floor shows too is the kernel's.\n\n"
                + table(["side", "op", f"p50 at {fs}", f"p50 at {fb}", "difference", "ratio",
                         f"CPU p50 at {fs}", f"CPU at {fb}", "CPU ratio"], rows))
        cg = g.get("callgrind")
        if cg:
            a, b = cg["total"]
            text += (f"\n**Instructions** (callgrind, deterministic): one more nsnet ADD executes "
                     f"{a:,} instructions in user space at {fs} attached and {b:,} at {fb} "
                     f"({times(b / a if a else None)}, {b - a:+,}). The functions of nsnet whose "
                     "inclusive count grew most:\n\n" + table(
                         ["function (inclusive)", f"at {fs}", f"at {fb}", "difference"],
                         [[f"`{short(r['function'])}`", f"{r['small']:,}", f"{r['big']:,}",
                           f"{r['big'] - r['small']:+,}"] for r in cg["ours"][:6]]))
        for side, st in g.get("strace", {}).items():
            (c0, b0, t0), (c1, b1, t1) = st["total"]
            text += (f"\n**Kernel operations of {side}** (`strace -f -T`, median of 3 ADDs at each "
                     f"fill): {c0:.0f} → {c1:.0f} syscalls, {b0:,.0f} → {b1:,.0f} bytes read, "
                     f"{ms(t0)} → {ms(t1)} ms in syscalls. Those whose time grew most:\n\n"
                     + table(["operation", f"calls at {fs}", f"at {fb}", f"bytes read at {fs}",
                              f"at {fb}", f"ms at {fs}", f"ms at {fb}"],
                             [[f"`{r['operation']}`", f"{r['small'][0]:.0f}", f"{r['big'][0]:.0f}",
                               f"{r['small'][1]:,.0f}", f"{r['big'][1]:,.0f}",
                               f"{r['small'][2] * 1000:.2f}", f"{r['big'][2] * 1000:.2f}"]
                              for r in st["top"][:8]]))
        self.out.append(text)

    def floor_table(self):
        rows = []
        for n in sorted(int(k.split("-")[1]) for k in self.results if k.startswith("floor-")):
            f = self.results[f"floor-{n}"]
            ours = self.side_samples(n, "nsnet")
            add = p50(ours["add"]) if ours else None
            rows.append([n, ms(p50(f.get("exec_true"))), ms(p50(f.get("exec_nsnet_version"))),
                         ms(p50(f.get("ip_batch"))),
                         ms(p50(f.get("netlink"))), ms(add), ms(p50(f.get("ip_link_del"))),
                         ms(p50(ours["del"])) if ours else "–",
                         times(add / p50(f["ip_batch"]) if add and f.get("ip_batch") else None),
                         times(add / p50(f["netlink"]) if add and f.get("netlink") else None)])
        self.out.append(
            "## Kernel floor (ms per container, p50)\n\n"
            "The links a bridge plugin makes for one container (veth pair, peer moved into the "
            "netns as eth0, host end enslaved and up, address, link up, default route) with "
            "nothing else: by `ip -batch` (one batch for all host ends plus one `ip -n NETNS "
            "-batch` per container) and by raw netlink in one process (bench/netlink_floor, "
            "libnl, no exec). `exec /bin/true` is the harness's own spawn-and-reap cost, "
            "included in every CNI time above; `exec nsnet --version` adds nsnet's start-up "
            "(dynamic linking, static initialisers). `ip link del`: deleting one container's veth "
            "pair by one exec of `ip -n NETNS link del eth0`, the floor of a DEL.\n\n" + table(
                ["N", "exec /bin/true", "exec nsnet --version", "ip -batch", "raw netlink",
                 "nsnet ADD", "ip link del", "nsnet DEL",
                 "nsnet / ip -batch", "nsnet / netlink"], rows))

    def ports_table(self):
        rows = []
        for key in sorted((k for k in self.results if k.startswith("ports-")),
                          key=lambda k: int(k.split("-")[1])):
            p = self.results[key]
            adds = p.get("add", {})
            ours, publish = adds.get("nsnet"), adds.get("nsnet publish")
            for side, samples in adds.items():
                mine = publish if side == "nsnet publish" else ours
                rows.append([p["existing"], side, ms(p50(samples)), ms(percentile(samples, 0.9)),
                             ms(p50(p["del"].get(side))),
                             times(ratio(p50(mine), p50(samples))) if mine else "–",
                             f"{p.get('base_seconds', {}).get(side, 0):.1f}"])
            for step, samples in p.get("publish_step", {}).items():
                rows.append([p["existing"], step + " (that step alone)", ms(p50(samples)),
                             ms(percentile(samples, 0.9)), "–",
                             times(ratio(p50(publish), p50(samples))) if publish else "–", "–"])
        self.out.append(
            "## Port publishing (ms)\n\n"
            "A base container holds the existing mappings (set up untimed; its set-up time in "
            "seconds is shown); each probe container is then added with one more published "
            "port and deleted again: nsnet with `portMappings`, the reference as the chain "
            "bridge → portmap (snat), netavark with `port_mappings`. `nsnet publish`: one more "
            "port on a running namespace made by `nsnet create -p` with the existing ports "
            "(DEL: `nsnet unpublish`); the reference portmap step alone is its counterpart. "
            "`× nsnet`: the row's p50 over nsnet's ADD (for the publishing steps: over `nsnet "
            "publish`).\n\n" + table(
                ["existing", "side", "ADD with 1 port p50", "p90", "DEL p50", "× nsnet",
                 "base set-up (s)"], rows))

    def launcher_tables(self):
        l = self.results.get("launcher", {})
        start = l.get("start", {})
        ours = p50(start.get("nsnet run"))
        rows = [[side, ms(p50(v)), ms(percentile(v, 0.9)), ms(max(v)),
                 times(p50(v) / ours) if ours else "–"] for side, v in start.items() if v]
        mem = [[side, f"{m['pss_kib'] / MIB:.2f}", f"{m['processes']:.1f}",
                 ", ".join(f"{name} {kib / MIB:.2f}" for name, kib in
                           sorted(m.get("pss_kib_by_process", {}).items())),
                 "–" if m.get("cgroup_kib") is None else f"{m['cgroup_kib'] / MIB:.2f}"]
               for side, m in l.get("memory", {}).items()]
        self.out.append(
            "## Launcher start (ms)\n\n"
            "`/bin/true` in new PID, UTS, IPC, mount, cgroup namespaces, joining a named netns, "
            "in a new cgroup, after pivot_root into a busybox rootfs: `nsnet run` and runc with "
            "the equivalent OCI bundle (`runc spec`, edited). `unshare -fpmiu --mount-proc true` "
            "makes namespaces only (no rootfs, cgroup or netns). `× nsnet run`: the side's p50 "
            "over nsnet run's.\n\n" + table(["side", "p50", "p90", "max", "× nsnet run"], rows))
        self.out.append(
            f"### Host memory per running container ({l.get('running', 0)} running `sleep`)\n\n"
            "PSS of every host process the container consists of (supervisor included), summed "
            "and divided by the number of containers, also by process name; and the memory the "
            "containers' own cgroups are charged (page cache and kernel memory included), per "
            "container. runc `run -d` leaves no supervisor (a real deployment adds conmon or a "
            "containerd shim); unshare's containers stay in the benchmark's cgroup.\n\n" + table(
                ["side", "PSS MiB per container", "processes per container",
                 "PSS MiB by process", "cgroup MiB per container"], mem)
            + self.launcher_syscalls(l))

    @staticmethod
    def launcher_syscalls(l):
        calls = {side: rows for side, rows in l.get("syscalls", {}).items() if rows}
        left = l.get("cgroups_left")
        text = ("\nEvery cgroup the containers made was gone at the end of the phase.\n"
                if left == [] else "" if left is None else
                f"\n**Cgroups left behind (removed by the benchmark):** {', '.join(left)}\n")
        if not calls:
            return text
        attach = l.get("cgroup_attach")
        if attach:
            text += (f"\nMoving a process into a fresh cgroup (one write of its pid to "
                     f"`cgroup.procs` of a new memory cgroup, by the benchmark itself, "
                     f"{len(attach)} times): p50 {ms(p50(attach))} ms, max {ms(max(attach))} ms. "
                     "On cgroup v1 the kernel waits for an RCU grace period there "
                     "(cgroup_threadgroup_rwsem); `nsnet run` and runc both pay it, unshare(1) "
                     "makes no cgroup.\n")
        return text + (
            "\n### Where a start's time goes\n\n`strace -f -c -w` of one start per side: the "
            "syscalls with the most wall time (a parent's wait for its child included), "
            "calls, ms.\n\n" + "".join(
                f"- {side}: " + ", ".join(f"{name} {n}× {sec * 1000:.1f}" for name, n, sec in rows)
                + "\n" for side, rows in calls.items()))

    def rss_table(self):
        rows = []
        for n in self.ns:
            for side, s in self.cni(n).get("samples", {}).items():
                rss = s.get("rss_kib", {})
                rows.append([n, side] + [f"{rss[op] / MIB:.1f}" if op in rss else "–"
                                         for op in ("add", "check", "del")])
        self.out.append(
            "## Peak RSS of one plugin call (MiB)\n\n"
            "GNU time's maximum resident set size of the largest process of the call (the "
            "reference bridge execs host-local and iptables; netavark execs iptables), for one "
            "more container on the full network.\n\n" + table(
                ["N", "side", "ADD", "CHECK", "DEL"], rows))

    def machine(self):
        m, meta = self.meta["machine"], self.meta
        lb, la = meta["load_before"], meta["load_after"]
        self.out.append(
            "## Machine and run\n\n"
            f"- {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, Linux {m['kernel']}\n"
            f"- load average (1, 5, 15 min) at the start: {lb[0]:.2f} {lb[1]:.2f} {lb[2]:.2f}; "
            f"at the end: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} (`{meta['uptime_after']}`)\n"
            f"- {meta['date']}, nsnet {meta['commit']}, the whole run took "
            f"{meta['seconds'] / 60:.1f} min{' (smoke run)' if meta['smoke'] else ''}\n"
            + "".join(f"- {p}\n" for p in m["packages"]))

    def commands(self):
        self.out.append(
            "## Reproduce\n\n```sh\nsudo scripts/bench            # full run, ~15 min on 2 cores\n"
            "sudo scripts/bench --smoke    # N=5, one repetition\n```\n\n"
            "The phases it ran, each in its own fresh sandbox:\n\n```\n"
            + "\n".join(self.meta["commands"]) + "\n```\n")

    def render(self):
        self.collect_not_measured()
        self.out.append("# nsnet benchmarks\n\nnsnet against the reference CNI plugins "
                        "(containernetworking-plugins bridge + host-local, portmap), netavark, "
                        "runc and unshare(1), measured side by side in one run "
                        "(`scripts/bench`). Plot: [add_latency.png](add_latency.png).\n")
        self.headline()
        self.cni_tables()
        self.growth_section()
        self.floor_table()
        self.ports_table()
        self.launcher_tables()
        self.rss_table()
        self.out.append("## Not measured\n\n" + ("".join(f"- {line}\n" for line in self.not_measured)
                                                 or "Everything was measured.\n"))
        self.machine()
        self.commands()
        return "\n".join(self.out)


def plot(out_dir, results):
    """ADD latency against containers already attached, for the largest round."""
    ns = sorted(int(k.split("-")[1]) for k in results if k.startswith("cni-"))
    gnuplot = shutil.which("gnuplot")
    if not ns or not gnuplot:
        return "no CNI round or no gnuplot"
    n = ns[-1]
    data_dir = os.path.join(out_dir, "raw")
    series = []
    for side, s in results[f"cni-{n}"].get("samples", {}).items():
        path = os.path.join(data_dir, f"add-{n}-{side}.dat")
        with open(path, "w") as f:
            f.writelines(f"{i} {t * 1000:.3f}\n" for i, t in enumerate(s["add"]))
        series.append(f"'{path}' using 1:2 with points pt 7 ps 0.4 title '{side} ADD'")
    floor = results.get(f"floor-{n}", {})
    for key, label in (("ip_batch", "ip -batch floor (p50)"), ("netlink", "raw netlink floor (p50)")):
        if floor.get(key):
            series.append(f"{p50(floor[key]) * 1000:.3f} with lines dt 2 lw 2 title '{label}'")
    script = "\n".join([
        "set terminal pngcairo size 1000,600 font 'sans,10'",
        f"set output '{os.path.join(out_dir, 'add_latency.png')}'",
        f"set title 'CNI ADD latency against containers already attached (N = {n})'",
        "set xlabel 'containers already attached to the network'",
        "set ylabel 'ADD latency, ms (log scale)'", "set logscale y", "set grid",
        "set key outside right top",
        "plot " + ", \\\n     ".join(series), ""])
    proc = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    return proc.stderr.strip() or None


def write(out_dir, results, meta):
    problem = plot(out_dir, results)
    text = Report(results, meta).render()
    if problem:
        text += f"\nThe plot was not made: {problem}\n"
    with open(os.path.join(out_dir, "RESULTS.md"), "w") as f:
        f.write(text)
