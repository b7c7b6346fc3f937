"""The kernel floor: the links a bridge plugin makes for one container, made
with nothing else around them, two ways.

- raw netlink: bench/netlink_floor (libnl, no exec), the time per container
  as it measures it itself;
- `ip -batch`: one `ip -batch` for the host side of all N containers (veth
  pair with its peer moved into the netns, enslaved, up), plus one
  `ip -n NETNS -batch` per container for its side (address, up, default
  route), since one ip process cannot address links in many netns. The
  per-container figure is the container's own exec plus 1/N of the host batch.
  Then the DEL floor: `ip -n NETNS link del eth0`, one exec per container.

It also times the harness itself: spawning and reaping /bin/true, the part
of every measured exec that is neither the plugin nor the kernel's work; and
`nsnet --version`, what nsnet's start-up (exec, dynamic linking) adds.
"""
import shutil
import subprocess

import netns
from cni import host_address
from spawn import Spawner, check


def make_bridge(name, base):
    netns.ip_batch([f"link add {name} type bridge", f"addr add {base}.0.1/16 dev {name}",
                    f"link set {name} up"])


def netlink_floor(binary, n):
    make_bridge("flbr0", "10.40")
    netns.add_namespaces(f"fl-{i}" for i in range(n))
    out = check(Spawner().run([binary, "flbr0", "fl", str(n), "10.40"]))
    return [float(line) for line in out.stdout.split()]


def ip_batch_floor(n):
    ip = shutil.which("ip")
    make_bridge("fbbr0", "10.50")
    netns.add_namespaces(f"fb-{i}" for i in range(n))
    spawner = Spawner()
    host_lines = []
    for i in range(n):
        host_lines += [f"link add fb{i} type veth peer name eth0 netns fb-{i}",
                       f"link set fb{i} master fbbr0 up"]
    host = check(spawner.run([ip, "-batch", "-"], stdin=("\n".join(host_lines) + "\n").encode()))
    samples = []
    for i in range(n):
        lines = [f"addr add {host_address('10.50', i)}/16 dev eth0", "link set eth0 up",
                 "route add default via 10.50.0.1"]
        out = check(spawner.run([ip, "-n", f"fb-{i}", "-batch", "-"],
                                stdin=("\n".join(lines) + "\n").encode()))
        samples.append(out.seconds + host.seconds / n)
    return samples, host.seconds


def del_floor(n):
    """The DEL floor: one `ip -n NETNS link del eth0` per container (its veth
    pair goes with it), on the containers ip_batch_floor made."""
    ip, spawner = shutil.which("ip"), Spawner()
    return [check(spawner.run([ip, "-n", f"fb-{i}", "link", "del", "eth0"])).seconds
            for i in range(n)]


def exec_floor(argv, count):
    spawner = Spawner()
    return [check(spawner.run(argv)).seconds for _ in range(count)]


def run_floor(n, netlink_binary, nsnet_binary):
    count = max(n, 20)
    result = {"n": n, "not_measured": {}, "exec_true": exec_floor(["/bin/true"], count),
              "exec_nsnet_version": exec_floor([nsnet_binary, "--version"], count)}
    samples, host_seconds = ip_batch_floor(n)
    result["ip_batch"] = samples
    result["ip_batch_host_seconds"] = host_seconds
    result["ip_link_del"] = del_floor(n)
    if netlink_binary:
        try:
            result["netlink"] = netlink_floor(netlink_binary, n)
        except (RuntimeError, subprocess.CalledProcessError) as e:
            result["not_measured"]["netlink"] = str(e)
    else:
        result["not_measured"]["netlink"] = "bench/netlink_floor not built"
    return result
