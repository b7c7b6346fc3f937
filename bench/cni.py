"""The container-networking sides of the benchmark, each driven exactly as a
runtime drives it: one exec per plugin with the CNI environment and the
network config on stdin (libcni's order for chains), or `netavark
setup/teardown NETNS < options` as Podman does.

Each side attaches its own containers (netns PREFIX-I, made beforehand) to
its own network from its own "host" netns (host-PREFIX), so no side sees
another's links, routes or firewall rules.
"""
import copy
import json
import os

import netns
from spawn import Spawner

PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
REFERENCE_CNI_DIR = "/usr/lib/cni"
NETAVARK_CANDIDATES = ("/usr/lib/podman/netavark", "/usr/libexec/podman/netavark",
                       "/usr/bin/netavark")


def netavark_binary():
    return next((p for p in NETAVARK_CANDIDATES if os.access(p, os.X_OK)), None)


def host_netns(prefix):
    return f"host-{prefix}"


def side_spawner(prefix, measure_rss=False):
    """A Spawner whose calls run in the side's host netns (made if missing)."""
    host = host_netns(prefix)
    if not os.path.exists(f"/run/netns/{host}"):
        netns.add_hosts([host])
    return Spawner(measure_rss=measure_rss, netns=f"/run/netns/{host}")


def host_address(base, i):
    """The i-th container address in a /16 whose first two octets are base."""
    host = i + 2
    return f"{base}.{host // 256}.{host % 256}"


class Side:
    """One side: its label, its containers' netns (PREFIX-I) and its host."""

    can_check = True

    def __init__(self, label, netns_prefix, measure_rss):
        self.label = label
        self.netns_prefix = netns_prefix
        self.spawner = side_spawner(netns_prefix, measure_rss)

    def netns(self, i):
        return f"{self.netns_prefix}-{i}"


class CniChain(Side):
    """A conflist: plugins run in order for ADD and CHECK, in reverse for DEL,
    each given the previous result; CHECK and DEL get the cached ADD result,
    as libcni does. conf_list is [(binary, plugin config)]."""

    def __init__(self, label, network, cni_version, conf_list, netns_prefix,
                 cni_path=REFERENCE_CNI_DIR, measure_rss=False):
        super().__init__(label, netns_prefix, measure_rss)
        self.network = network
        self.cni_version = cni_version
        self.conf_list = conf_list
        self.cni_path = cni_path
        self.results = {}         # container index -> cached ADD result
        self.runtime_config = {}  # container index -> runtimeConfig (portMappings)
        self.extra_env = {}       # more environment for every exec (NSNET_STATE_DIR)

    def container_id(self, i):
        return f"bench{self.netns_prefix}{i:06d}"

    def _env(self, command, i):
        return {"CNI_COMMAND": command, "CNI_CONTAINERID": self.container_id(i),
                "CNI_NETNS": f"/run/netns/{self.netns(i)}", "CNI_IFNAME": "eth0",
                "CNI_PATH": self.cni_path, "PATH": PATH, **self.extra_env}

    def exec_args(self, command, i):
        """(env, stdin) of the first plugin's exec, for running it under a tool."""
        return self._env(command, i), self._stdin(self.conf_list[0][1], i, None)

    def _stdin(self, conf, i, prev_result):
        conf = copy.deepcopy(conf)
        conf["name"] = self.network
        conf["cniVersion"] = self.cni_version
        capabilities = conf.get("capabilities", {})
        wanted = {k: v for k, v in self.runtime_config.get(i, {}).items() if capabilities.get(k)}
        if wanted:
            conf["runtimeConfig"] = wanted
        if prev_result is not None:
            conf["prevResult"] = prev_result
        return json.dumps(conf).encode()

    def add(self, i, timeout=None):
        """Runs ADD through the chain; returns the Outcome of each exec."""
        outcomes, prev = [], None
        for binary, conf in self.conf_list:
            out = self.spawner.run([binary], self._env("ADD", i), self._stdin(conf, i, prev),
                                   timeout)
            outcomes.append(out)
            if out.rc != 0:
                return outcomes
            prev = json.loads(out.stdout)
        self.results[i] = prev
        return outcomes

    def check(self, i):
        return [self.spawner.run([binary], self._env("CHECK", i),
                                 self._stdin(conf, i, self.results.get(i)))
                for binary, conf in self.conf_list]

    def delete(self, i):
        outcomes = [self.spawner.run([binary], self._env("DEL", i),
                                     self._stdin(conf, i, self.results.get(i)))
                    for binary, conf in reversed(self.conf_list)]
        self.results.pop(i, None)
        return outcomes


class Netavark(Side):
    """netavark setup/teardown with Podman's network options JSON; addresses
    are static, as Podman allocates them itself."""

    can_check = False

    def __init__(self, label, binary, netns_prefix, base="10.30", bridge="nvbr0",
                 measure_rss=False):
        super().__init__(label, netns_prefix, measure_rss)
        self.binary = binary
        self.base = base
        self.bridge = bridge
        self.port_mappings = {}  # container index -> [netavark port mapping]

    def _options(self, i):
        name = "nvbench"
        return json.dumps({
            "container_id": f"{i:064x}",
            "container_name": f"bench{i}",
            "port_mappings": self.port_mappings.get(i, []),
            "networks": {name: {"interface_name": "eth0",
                                "static_ips": [host_address(self.base, i)]}},
            "network_info": {name: {
                "name": name, "id": "6e657462656e6368" * 4, "driver": "bridge",
                "network_interface": self.bridge, "internal": False,
                "ipv6_enabled": False, "dns_enabled": False,
                "subnets": [{"subnet": f"{self.base}.0.0/16", "gateway": f"{self.base}.0.1"}]}},
        }).encode()

    def _run(self, verb, i, timeout=None):
        return [self.spawner.run([self.binary, verb, f"/run/netns/{self.netns(i)}"],
                                 {"PATH": PATH}, self._options(i), timeout)]

    def add(self, i, timeout=None):
        return self._run("setup", i, timeout)

    def delete(self, i):
        return self._run("teardown", i)


def bridge_conf(bridge, subnet, data_dir):
    """The reference bridge + host-local config with ipMasq, as Podman's CNI
    backend writes it."""
    return {"type": "bridge", "bridge": bridge, "isGateway": True, "ipMasq": True,
            "hairpinMode": True,
            "ipam": {"type": "host-local", "ranges": [[{"subnet": subnet}]],
                     "routes": [{"dst": "0.0.0.0/0"}], "dataDir": data_dir}}


def nsnet_conf(bridge, subnet):
    """The same network for nsnet: bridge, gateway, masquerade, built-in IPAM."""
    return {"type": "nsnet", "bridge": bridge, "isGateway": True, "ipMasq": True,
            "hairpinMode": True, "capabilities": {"portMappings": True},
            "ipam": {"type": "nsnet", "ranges": [[{"subnet": subnet}]],
                     "routes": [{"dst": "0.0.0.0/0"}]}}


def portmap_conf():
    return {"type": "portmap", "snat": True, "capabilities": {"portMappings": True}}


def nsnet_side(nsnet_binary, tag, network="nsbench", bridge="nsbr0", subnet="10.10.0.0/16",
               measure_rss=False):
    return CniChain("nsnet", network, "1.0.0", [(nsnet_binary, nsnet_conf(bridge, subnet))],
                    f"{tag}n", cni_path=os.path.dirname(nsnet_binary), measure_rss=measure_rss)


def make_sides(nsnet_binary, tag, with_portmap=False, measure_rss=False):
    """nsnet, the reference bridge + host-local (+ portmap) and netavark, each
    on the same kind of network (bridge, gateway, masquerade, a /16), as far
    as installed; and a reason for each side that is not."""
    sides, missing = [], {}
    sides.append(nsnet_side(nsnet_binary, tag, measure_rss=measure_rss))
    chain = [os.path.join(REFERENCE_CNI_DIR, "bridge")]
    if with_portmap:
        chain.append(os.path.join(REFERENCE_CNI_DIR, "portmap"))
    absent = [p for p in chain if not os.access(p, os.X_OK)]
    if absent:
        missing["reference"] = f"{', '.join(absent)} not installed (containernetworking-plugins)"
    else:
        confs = [bridge_conf("refbr0", "10.20.0.0/16", f"/run/bench/host-local-{tag}")]
        if with_portmap:
            confs.append(portmap_conf())
        sides.append(CniChain("reference", "refbench", "1.0.0", list(zip(chain, confs)),
                              f"{tag}r", measure_rss=measure_rss))
    binary = netavark_binary()
    if binary:
        sides.append(Netavark("netavark", binary, f"{tag}v", measure_rss=measure_rss))
    else:
        missing["netavark"] = "netavark not installed"
    return sides, missing
