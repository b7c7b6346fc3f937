"""Launcher start and memory: `nsnet run` against runc and unshare(1).

Start: /bin/true with PID, UTS, IPC, mount, cgroup and net namespaces (a
named netns, joined), a cgroup and pivot_root into a busybox rootfs, for
`nsnet run` and for runc with the matching OCI bundle (on a hybrid host
`nsnet run` once more on the cgroup v2 tree, V2_SIDE); and
`unshare -fpmiu --mount-proc true` (no rootfs, no cgroup, no netns) as the
floor of making namespaces at all. Runs are interleaved, one warm-up each.

Memory: RUNNING containers of each kind left running `sleep`, and the PSS of
every host process they consist of (supervisor included) summed and divided
by RUNNING, by process name too; and the memory their cgroups are charged
(cgroup v1 memory.usage_in_bytes or v2 memory.current), per container. The
benchmark is the child subreaper, so detached processes stay its descendants
and can be found.

Cgroups are not sandboxed: every cgroup that appears during the phase with
a name of ours (bench*, mem*) and is still there at its end is reported and
removed.
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
CGROUP_ROOT = "/sys/fs/cgroup"


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


# On a hybrid host (controllers on cgroup v1, an empty v2 tree beside them),
# `nsnet run` also starts on the v2 tree: clone3 puts the child straight into
# its cgroup (CLONE_INTO_CGROUP), with no move and no RCU grace period, as
# on a pure cgroup v2 host (Debian 12's default).
V2_SIDE = "nsnet run, cgroup v2"


def hybrid_v2_tree():
    """The empty cgroup v2 tree of a hybrid host, or None."""
    unified = os.path.join(CGROUP_ROOT, "unified")
    def is_cgroup2(path):
        return os.path.isfile(os.path.join(path, "cgroup.controllers"))
    return unified if is_cgroup2(unified) and not is_cgroup2(CGROUP_ROOT) else None


class Sides:
    def __init__(self, nsnet, rootfs, bundle, sleep_bundle):
        self.nsnet, self.rootfs = nsnet, rootfs
        self.bundle, self.sleep_bundle = bundle, sleep_bundle
        self.runc, self.unshare = shutil.which("runc"), shutil.which("unshare")
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}

    def env_for(self, side):
        if side == V2_SIDE:
            return dict(self.env, NSNET_CGROUP_ROOT=hybrid_v2_tree())
        return self.env

    def start_argv(self, side, k):
        if side in ("nsnet run", V2_SIDE):
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
            return lambda: subprocess.run([self.nsnet, "stop", f"mem{k}", "-t", "0"],
                                          env=self.env, stdout=subprocess.DEVNULL)
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


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"




def memory_cgroup(pid):
    """The directory of pid's memory cgroup (v1 memory controller, else v2)."""
    try:
        with open(f"/proc/{pid}/cgroup") as f:
            lines = [line.rstrip("\n").split(":", 2) for line in f]
    except OSError:
        return None
    for _, controllers, path in lines:
        if "memory" in controllers.split(","):
            return os.path.join(CGROUP_ROOT, "memory") + path
    for hierarchy, _, path in lines:
        if hierarchy == "0":
            unified = os.path.join(CGROUP_ROOT, "unified")
            return (unified if os.path.isdir(unified) else CGROUP_ROOT) + path
    return None


def cgroup_memory_bytes(directory):
    for name in ("memory.usage_in_bytes", "memory.current"):
        try:
            with open(os.path.join(directory, name)) as f:
                return int(f.read())
        except (OSError, ValueError):
            continue
    return None


def memory_per_container(sides, side, running, own_cgroup):
    stops = []
    try:
        for k in range(running):
            stops.append(sides.start_detached(side, k))
        time.sleep(0.5)  # let detached starters exit and reparent
        pids = descendants()
        by_name = {}
        for p in pids:
            by_name[comm(p)] = by_name.get(comm(p), 0) + pss_kib(p) / running
        # the containers' own cgroups (not the benchmark's, where unshare's stay)
        groups = {g for g in map(memory_cgroup, pids) if g and g != own_cgroup}
        charged = [cgroup_memory_bytes(g) for g in groups]
        return {"pss_kib": sum(by_name.values()), "pss_kib_by_process": by_name,
                "processes": len(pids) / running,
                "cgroup_kib": (sum(charged) / 1024 / running
                               if groups and None not in charged else None)}
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


def cgroup_attach_floor(reps):
    """The kernel's cost of moving a process into a fresh cgroup (what every
    start with a cgroup pays): a `sleep` moved by one write of its pid to
    cgroup.procs of a new memory cgroup beside ours, timed; then removed.
    On cgroup v1 the first move in a while waits for an RCU grace period."""
    own = memory_cgroup(os.getpid())
    if not own:
        return None
    samples = []
    for k in range(reps):
        group = os.path.join(own, f"bench-attach-{k}")
        os.mkdir(group)
        child = subprocess.Popen(["sleep", "10"])
        try:
            time.sleep(0.05)  # apart, as starts are
            with open(os.path.join(group, "cgroup.procs"), "w") as f:
                began = time.perf_counter()
                f.write(str(child.pid))
                f.flush()
                samples.append(time.perf_counter() - began)
        finally:
            child.kill()
            child.wait()
            os.rmdir(group)
    return samples


def cgroup_dirs():
    found = set()
    for top, dirs, _ in os.walk(CGROUP_ROOT):
        found.update(os.path.join(top, d) for d in dirs)
    return found


def remove_our_cgroups(before):
    """Removes the cgroups named like ours that the phase left; returns them."""
    left = sorted((d for d in cgroup_dirs() - before
                   if os.path.basename(d).startswith(("bench", "mem"))),
                  key=lambda d: -d.count("/"))
    for d in left:
        try:
            os.rmdir(d)
        except OSError:
            pass
    return left


def run_launcher(reps, running, nsnet, src, workdir):
    cgroups_before = cgroup_dirs()
    try:
        result = measure(reps, running, nsnet, src, workdir)
    finally:
        left = remove_our_cgroups(cgroups_before)
    result["cgroups_left"] = left
    return result


def syscall_summary(spawner, sides, side, path):
    """`strace -f -c -w` of one start: the syscalls that took the most wall
    time, [name, calls, seconds], top 8 (where the start's time goes)."""
    strace = shutil.which("strace")
    if not strace:
        return None
    out = spawner.run([strace, "-f", "-c", "-w", "-qq", "-o", path] +
                      sides.start_argv(side, "strace"), sides.env)
    if out.rc != 0:
        return None
    rows = []
    with open(path) as f:
        for line in f:
            cols = line.split()
            if len(cols) >= 5 and cols[0][0].isdigit() and cols[-1] != "total":
                rows.append([cols[-1], int(cols[3]), float(cols[1])])
    return sorted(rows, key=lambda r: -r[2])[:8]


def measure(reps, running, nsnet, src, workdir):
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
    starts = order + ([V2_SIDE] if hybrid_v2_tree() else [])
    spawner = Spawner()
    start = {s: [] for s in starts}
    for k in range(reps + 1):  # the first round warms up and probes
        for side in starts[k % len(starts):] + starts[:k % len(starts)]:
            if side in failed:
                continue
            out = spawner.run(sides.start_argv(side, k), sides.env_for(side))
            if out.rc != 0:
                failed[side] = out.failure()
            elif k > 0:
                start[side].append(out.seconds)
    attach = cgroup_attach_floor(max(3, min(reps, 10)))
    syscalls = {s: syscall_summary(spawner, sides, s, os.path.join(workdir, f"strace-{k}"))
                for k, s in enumerate(order) if s not in failed}
    memory = {}
    for side in order:
        if side not in failed:
            try:
                memory[side] = memory_per_container(sides, side, running,
                                                    memory_cgroup(os.getpid()))
            except subprocess.CalledProcessError as e:
                failed[side] = f"detached start failed: {e}"
    return {"start": {s: v for s, v in start.items() if s not in failed}, "memory": memory,
            "syscalls": syscalls, "cgroup_attach": attach,
            "running": running, "not_measured": failed}
