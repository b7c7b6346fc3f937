"""Launcher start and memory: `nsnet run` against runc and unshare(1).

Start: /bin/true with PID, UTS, IPC, mount, cgroup and net namespaces (a
named netns, joined), a cgroup and pivot_root into a busybox rootfs, for
`nsnet run` and for runc with the matching OCI bundle; and
`unshare -fpmiu --mount-proc true` (no rootfs, no cgroup, no netns) as the
floor of making namespaces at all. Runs are interleaved, one warm-up each.

Memory: RUNNING containers of each kind left running `sleep`, and the PSS of
every host process they consist of (supervisor included) summed and divided
by RUNNING. The benchmark is the child subreaper, so detached processes stay
its descendants and can be found.
"""
import ctypes
import json
import os
import shutil
import signal
import subprocess
import time

import netns
from spawn import Spawner

PR_SET_CHILD_SUBREAPER = 36
NETNS = "lrun"


def make_rootfs(src, root):
    """scripts/mkrootfs's busybox rootfs; without it (an older tree), the
    least runc needs: busybox as /bin/true and /bin/sleep."""
    mkrootfs = os.path.join(src, "scripts", "mkrootfs")
    if os.access(mkrootfs, os.X_OK):
        subprocess.run([mkrootfs, root], check=True, stdout=subprocess.DEVNULL)
        return
    os.makedirs(os.path.join(root, "bin"))
    for d in ("proc", "dev", "sys", "tmp"):
        os.makedirs(os.path.join(root, d))
    shutil.copy("/bin/busybox", os.path.join(root, "bin", "busybox"))
    for applet in ("true", "sleep", "sh"):
        os.symlink("busybox", os.path.join(root, "bin", applet))


def make_bundle(bundle, rootfs, args):
    """An OCI bundle matching `nsnet run NETNS --rootfs ROOTFS -- ARGS`."""
    os.makedirs(bundle, exist_ok=True)
    subprocess.run(["runc", "spec", "--bundle", bundle], check=True)
    path = os.path.join(bundle, "config.json")
    with open(path) as f:
        spec = json.load(f)
    spec["process"]["terminal"] = False
    spec["process"]["args"] = args
    spec["root"] = {"path": rootfs, "readonly": False}
    spec["hostname"] = "bench"
    spec["linux"]["namespaces"] = [{"type": t} for t in ("pid", "ipc", "uts", "mount", "cgroup")]
    spec["linux"]["namespaces"].append({"type": "network", "path": f"/run/netns/{NETNS}"})
    with open(path, "w") as f:
        json.dump(spec, f)


class Sides:
    def __init__(self, nsnet, rootfs, bundle, sleep_bundle):
        self.nsnet, self.rootfs = nsnet, rootfs
        self.bundle, self.sleep_bundle = bundle, sleep_bundle
        self.runc, self.unshare = shutil.which("runc"), shutil.which("unshare")
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}

    def start_argv(self, side, k):
        if side == "nsnet run":
            return [self.nsnet, "run", NETNS, "--name", f"bench{k}", "--rootfs", self.rootfs,
                    "--", "/bin/true"]
        if side == "runc":
            return [self.runc, "run", "--bundle", self.bundle, f"bench{k}"]
        return [self.unshare, "-fpmiu", "--mount-proc", "true"]

    def start_detached(self, side, k):
        """Starts one container running sleep; returns how to stop it."""
        if side == "nsnet run":
            subprocess.run([self.nsnet, "run", NETNS, "--name", f"mem{k}", "--rootfs",
                            self.rootfs, "-d", "--", "/bin/sleep", "1000"], check=True,
                           env=self.env, stdout=subprocess.DEVNULL)
            return lambda: subprocess.run([self.nsnet, "stop", f"mem{k}"], env=self.env,
                                          stdout=subprocess.DEVNULL)
        if side == "runc":
            subprocess.run([self.runc, "run", "-d", "--bundle", self.sleep_bundle, f"mem{k}"],
                           check=True, env=self.env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return lambda: subprocess.run([self.runc, "delete", "--force", f"mem{k}"])
        proc = subprocess.Popen([self.unshare, "-fpmiu", "--mount-proc", "--kill-child",
                                 "sleep", "1000"], env=self.env)
        return lambda: (proc.kill(), proc.wait())  # unshare -f ignores SIGTERM


def descendants():
    """Live (not zombie) PIDs whose parent chain reaches this process."""
    parents, zombies = {}, set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    state, ppid = f.read().rsplit(")", 1)[1].split()[:2]
            except OSError:
                continue
            parents[int(entry)] = int(ppid)
            if state == "Z":
                zombies.add(int(entry))
    me, found = os.getpid(), []
    for pid in set(parents) - zombies:
        p = pid
        while p in parents and p > 1:
            p = parents[p]
            if p == me:
                found.append(pid)
                break
    return found


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


def memory_per_container(sides, side, running):
    stops = []
    try:
        for k in range(running):
            stops.append(sides.start_detached(side, k))
        time.sleep(0.5)  # let detached starters exit and reparent
        pids = descendants()
        return {"pss_kib": sum(pss_kib(p) for p in pids) / running,
                "processes": len(pids) / running}
    finally:
        for stop in stops:
            stop()
        reap_orphans()


def reap_orphans():
    """Waits for what was reparented to us (we are the subreaper) and exited."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def run_launcher(reps, running, nsnet, src, workdir):
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    netns.ip_batch([f"netns add {NETNS}"])
    rootfs = os.path.join(workdir, "rootfs")
    failed = {}
    make_rootfs(src, rootfs)
    bundle, sleep_bundle = os.path.join(workdir, "bundle"), os.path.join(workdir, "sleep-bundle")
    if not shutil.which("runc"):
        failed["runc"] = "runc not installed"
    else:
        make_bundle(bundle, rootfs, ["/bin/true"])
        make_bundle(sleep_bundle, rootfs, ["/bin/sleep", "1000"])
    sides = Sides(nsnet, rootfs, bundle, sleep_bundle)
    order = [s for s in ("nsnet run", "runc", "unshare") if s not in failed]
    spawner = Spawner()
    start = {s: [] for s in order}
    for k in range(reps + 1):  # the first round warms up and probes
        for side in order[k % len(order):] + order[:k % len(order)]:
            if side in failed:
                continue
            out = spawner.run(sides.start_argv(side, k), sides.env)
            if out.rc != 0:
                failed[side] = out.failure()
            elif k > 0:
                start[side].append(out.seconds)
    memory = {}
    for side in order:
        if side not in failed:
            try:
                memory[side] = memory_per_container(sides, side, running)
            except subprocess.CalledProcessError as e:
                failed[side] = f"detached start failed: {e}"
    return {"start": {s: v for s, v in start.items() if s not in failed}, "memory": memory,
            "running": running, "not_measured": failed}
