"""Runs every phase, each in its own fresh sandbox, within the time budget,
then writes RESULTS.md and the plot."""
import json
import os
import platform
import subprocess
import sys
import time

import report

FULL = {"ns": [10, 100, 1000], "sample": 100, "ports": [1, 1000], "port_reps": 20,
        "launch_reps": 30, "running": 10, "growth_reps": 40, "budget": 14 * 60}
SMOKE = {"ns": [5], "sample": 5, "ports": [1], "port_reps": 1,
         "launch_reps": 1, "running": 1, "growth_reps": 1, "budget": 120}


def sh(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    mem = next(line.split(":", 1)[1].strip() for line in open("/proc/meminfo")
               if line.startswith("MemTotal"))
    packages = sh(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n",
                   "containernetworking-plugins", "netavark", "runc", "iproute2", "iptables",
                   "util-linux"])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "kernel": platform.release(),
            "packages": packages.splitlines()}


class Driver:
    def __init__(self, args):
        self.args = args
        self.plan = SMOKE if args.smoke else FULL
        self.raw = os.path.join(args.out, "raw")
        os.makedirs(self.raw, exist_ok=True)
        self.started = time.monotonic()
        self.bench_py = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench.py")
        self.sandbox = os.path.join(args.src, "scripts", "sandbox")
        self.results = {}
        self.commands = []

    def remaining(self):
        return self.plan["budget"] - (time.monotonic() - self.started)

    def phase(self, key, name, *options):
        """One phase in a fresh sandbox; its JSON lands in raw/KEY.json."""
        path = os.path.join(self.raw, f"{key}.json")
        argv = [self.sandbox, sys.executable, self.bench_py, "phase", name, "--json", path,
                "--nsnet", self.args.nsnet, "--src", self.args.src] + [str(o) for o in options]
        self.commands.append(" ".join(argv))
        print(f"bench: {key} ({self.remaining():.0f} s of budget left)", flush=True)
        began = time.monotonic()
        proc = subprocess.run(argv)
        if proc.returncode != 0 or not os.path.exists(path):
            self.results[key] = {"error": f"phase exited {proc.returncode}"}
        else:
            with open(path) as f:
                self.results[key] = json.load(f)
        self.results[key]["seconds"] = time.monotonic() - began

    def run(self):
        plan, load_before = self.plan, os.getloadavg()
        floor_binary = self.args.netlink_floor or ""
        self.phase("launcher", "launcher", "--reps", plan["launch_reps"], "--running",
                   plan["running"], "--workdir", "/run/bench-launcher")
        for n in plan["ns"]:
            self.phase(f"floor-{n}", "floor", "--n", n,
                       *(["--netlink-floor", floor_binary] if floor_binary else []))
        for existing in plan["ports"]:
            self.phase(f"ports-{existing}", "ports", "--existing", existing,
                       "--reps", plan["port_reps"])
        self.phase(f"growth-{plan['ns'][-1]}", "growth", "--n", plan["ns"][-1], "--reps",
                   plan["growth_reps"], *(["--netlink-floor", floor_binary] if floor_binary else []))
        for k, n in enumerate(plan["ns"]):
            # the last (largest) round gets what is left, keeping a margin
            budget = self.remaining() - 60 if k == len(plan["ns"]) - 1 else self.remaining() / 2
            self.phase(f"cni-{n}", "cni", "--n", n, "--sample", plan["sample"],
                       "--budget", int(max(budget, 10)))
        meta = {"machine": machine(), "load_before": load_before, "load_after": os.getloadavg(),
                "uptime_after": sh(["uptime"]), "seconds": time.monotonic() - self.started,
                "smoke": self.args.smoke, "plan": plan, "commands": self.commands,
                "commit": sh(["git", "-C", self.args.src, "describe", "--always", "--dirty"]),
                "nsnet": self.args.nsnet, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        with open(os.path.join(self.raw, "meta.json"), "w") as f:
            json.dump(meta, f)
        report.write(self.args.out, self.results, meta)
        print(f"bench: wrote {self.args.out}/RESULTS.md in {meta['seconds']:.0f} s", flush=True)


def run_all(args):
    Driver(args).run()


def report_again(out):
    """Rewrites RESULTS.md and the plot from the raw results of a past run."""
    raw = os.path.join(out, "raw")
    results = {}
    for name in os.listdir(raw):
        if name.endswith(".json") and name != "meta.json":
            with open(os.path.join(raw, name)) as f:
                results[name[:-5]] = json.load(f)
    with open(os.path.join(raw, "meta.json")) as f:
        meta = json.load(f)
    report.write(out, results, meta)
