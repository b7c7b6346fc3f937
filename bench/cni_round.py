"""One CNI round: N containers attached to one network per side, interleaved.

For each container index i, every side ADDs its container i, in an order
rotated by i, so machine noise and position effects hit all sides alike. Then
CHECK and DEL run on an evenly spread sample of the N containers, still
interleaved, while the network is full. The sandbox this round runs in is
thrown away afterwards, which removes the rest.

Peak RSS is taken apart, on one more container (index N) per side, under GNU
time (see spawn.py).
"""
import subprocess
import time

import netns
from cni import host_netns, make_sides

SUBNETS = {"nsnet": "10.10.0.0/16", "reference": "10.20.0.0/16", "netavark": "10.30.0.0/16"}


def spread(n, count):
    """count indices spread evenly over range(n)."""
    count = min(n, count)
    return sorted({(k * n) // count for k in range(count)})


def rotated(items, k):
    k %= max(1, len(items))
    return items[k:] + items[:k]


def method(side, op):
    if op == "check" and not side.can_check:
        return None
    return getattr(side, {"del": "delete"}.get(op, op))


class Round:
    def __init__(self, n, nsnet_binary, deadline):
        self.n = n
        self.deadline = deadline
        self.sides, self.failed = make_sides(nsnet_binary, "c")
        self.samples = {s.label: {"add": [], "check": [], "del": [], "rss_kib": {}}
                        for s in self.sides}
        self.stopped = None

    def live(self):
        return [s for s in self.sides if s.label not in self.failed]

    def record(self, side, op, outcomes):
        reason = next((o.failure() for o in outcomes if o.rc != 0), None)
        if reason:
            self.failed[side.label] = f"{op} failed: {reason}"
        else:
            self.samples[side.label][op].append(sum(o.seconds for o in outcomes))
        return outcomes

    def step(self, op, indices):
        """Runs op on each index for every side, rotated; stops at the deadline."""
        done = []
        for k, i in enumerate(indices):
            if time.monotonic() > self.deadline:
                self.stopped = f"time budget reached during {op} after {len(done)} containers"
                break
            for side in rotated(self.live(), k):
                if call := method(side, op):
                    self.record(side, op, call(i))
            done.append(i)
        return done

    def measure_rss(self, nsnet_binary):
        """ADD, CHECK and DEL of container N of each side under GNU time."""
        probes, _ = make_sides(nsnet_binary, "c", measure_rss=True)
        for side in probes:
            if side.label in self.failed:
                continue
            for op in ("add", "check", "del"):
                if call := method(side, op):
                    outcomes = call(self.n)
                    if all(o.rc == 0 for o in outcomes):
                        self.samples[side.label]["rss_kib"][op] = max(o.max_rss_kib for o in outcomes)


def masquerades(side, subnet):
    """True if the side's host ruleset mentions its subnet: ipMasq was set up,
    so its ADD did the same work as the others'."""
    text = subprocess.run(["ip", "netns", "exec", host_netns(side.netns_prefix), "nft", "list",
                           "ruleset"], capture_output=True, text=True).stdout
    return subnet in text


def run_round(n, sample, nsnet_binary, budget_seconds):
    r = Round(n, nsnet_binary, time.monotonic() + budget_seconds)
    netns.add_namespaces(s.netns(i) for s in r.sides for i in range(n + 1))
    attached = r.step("add", range(n))
    masq = {s.label: masquerades(s, SUBNETS[s.label]) for s in r.live()}
    chosen = spread(len(attached), sample)
    r.step("check", chosen)
    r.step("del", chosen)
    r.measure_rss(nsnet_binary)
    return {"n": n, "attached": len(attached), "check_del_sample": len(chosen),
            "stopped": r.stopped, "masquerade": masq,
            "samples": {k: v for k, v in r.samples.items() if k not in r.failed},
            "not_measured": r.failed}
