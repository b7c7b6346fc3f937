#!/usr/bin/env python3
"""Concurrency soak for the CNI plugin: WORKERS threads, each doing OPS
random ADD / DEL / CHECK / GC calls across NETWORKS networks on its own
containers, so every outcome is known in advance: ADD of a detached key,
CHECK (with the ADD's result as prevResult) and DEL of any key, and GC
listing every key a worker may hold, must all succeed. Any other outcome is
an unexpected error. At the end everything is deleted; the caller checks for
leaks. Usage: soak.py PLUGIN WORKERS OPS NETWORKS
"""
import json
import os
import random
import subprocess
import sys
import threading

PLUGIN, WORKERS, OPS, NETWORKS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
SLOTS = 2  # containers per worker


def config(net, version="1.1.0", **extra):
    c = {"cniVersion": version, "name": f"soak{net}", "type": "nsnet", "bridge": f"soak{net}",
         "ipam": {"type": "nsnet", "ranges": [[{"subnet": f"10.{60 + net}.0.0/24"}]]}}
    # A container is on every network; only one can give it the default route.
    c["isDefaultGateway"] = net == 0
    c.update(extra)
    return c


def call(command, net, cid, conf):
    env = dict(os.environ, CNI_COMMAND=command, CNI_CONTAINERID=cid, CNI_NETNS=f"/run/netns/{cid}",
               CNI_IFNAME=f"eth{net}", CNI_PATH="/usr/lib/cni")
    return subprocess.run([PLUGIN], input=json.dumps(conf).encode(), env=env, capture_output=True,
                          timeout=300)


ALL_KEYS = [{"containerID": f"w{w}s{s}", "ifname": f"eth{n}"}
            for w in range(WORKERS) for s in range(SLOTS) for n in range(NETWORKS)]
errors, counts, lock = [], {}, threading.Lock()


def worker(w):
    try:
        work(w)
    except Exception as e:  # a crashed worker is an unexpected error too
        with lock:
            errors.append(f"worker {w}: {e!r}")


def work(w):
    rng = random.Random(w)
    attached = {}  # (net, cid) -> ADD result
    for _ in range(OPS):
        net, cid = rng.randrange(NETWORKS), f"w{w}s{rng.randrange(SLOTS)}"
        key = (net, cid)
        op = rng.choice(["ADD", "ADD", "DEL", "CHECK", "GC"])
        if op == "ADD" and key in attached:
            op = "CHECK"
        if op == "CHECK" and key not in attached:
            op = "ADD"
        if op == "ADD":
            p = call("ADD", net, cid, config(net))
            if p.returncode == 0:
                attached[key] = json.loads(p.stdout)
        elif op == "CHECK":
            p = call("CHECK", net, cid, config(net, prevResult=attached[key]))
        elif op == "DEL":
            p = call("DEL", net, cid, config(net))
            attached.pop(key, None)
        else:
            p = call("GC", net, cid, config(net, **{"cni.dev/valid-attachments": ALL_KEYS}))
        with lock:
            counts[op] = counts.get(op, 0) + 1
            if p.returncode != 0:
                errors.append(f"{op} {key}: {p.stdout.decode(errors='replace')} {p.stderr.decode(errors='replace')}")
    for net, cid in list(attached):
        p = call("DEL", net, cid, config(net))
        if p.returncode != 0:
            with lock:
                errors.append(f"final DEL {(net, cid)}: {p.stdout.decode(errors='replace')}")


threads = [threading.Thread(target=worker, args=(w,)) for w in range(WORKERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"soak: {WORKERS} workers, {sum(counts.values())} operations {counts}, {len(errors)} unexpected errors")
for e in errors[:20]:
    print("  " + e.strip())
sys.exit(1 if errors else 0)
