"""Untimed set-up: named network namespaces made in bulk with one `ip -batch`."""
import subprocess


def ip_batch(lines, netns=None):
    """Runs lines through one `ip -batch -` (in netns if given)."""
    argv = ["ip"] + (["-n", netns] if netns else []) + ["-batch", "-"]
    subprocess.run(argv, input="\n".join(lines) + "\n", text=True, check=True,
                   stdout=subprocess.DEVNULL)


def add_namespaces(names):
    """Creates /run/netns/NAME for each name (iproute2's named netns)."""
    names = list(names)
    for start in range(0, len(names), 500):
        ip_batch([f"netns add {n}" for n in names[start:start + 500]])


def add_hosts(names):
    """Network namespaces that each play "the host" for one side, loopback up."""
    add_namespaces(names)
    for name in names:
        ip_batch(["link set lo up"], netns=name)
