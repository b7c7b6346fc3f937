#!/usr/bin/python3
"""A minimal CNI runtime for tests (what libcni does for a conflist).

cni_run.py ADD|CHECK|DEL|GC|STATUS CONFLIST [--id ID] [--netns PATH] [--ifname IF]
           [--runtime-config JSON] [--args CNI_ARGS] [--valid JSON]

Runs each plugin of CONFLIST from CNI_PATH: name and cniVersion of the list
injected, runtimeConfig filtered by each plugin's capabilities, prevResult
chained on ADD and taken from the cache (CNI_CACHE_DIR) on CHECK and DEL, DEL
in reverse order. Prints the final result (ADD) or the failing plugin's error
JSON, and exits with the failing plugin's status.
"""
import argparse, json, os, subprocess, sys

p = argparse.ArgumentParser()
p.add_argument("command")
p.add_argument("conflist")
p.add_argument("--id", default="")
p.add_argument("--netns", default="")
p.add_argument("--ifname", default="eth0")
p.add_argument("--runtime-config", default="{}")
p.add_argument("--args", default="")
p.add_argument("--valid", default="[]")
p.add_argument("--only", default="", help="comma-separated plugin types to run (CHECK)")
a = p.parse_args()

conflist = json.load(open(a.conflist))
runtime_config = json.loads(a.runtime_config)
cache_dir = os.environ.get("CNI_CACHE_DIR", "/run/cni-test-cache")
os.makedirs(cache_dir, exist_ok=True)
cache = os.path.join(cache_dir, f"{conflist['name']}-{a.id}-{a.ifname}.json")


def find(plugin_type):
    for d in os.environ["CNI_PATH"].split(":"):
        if os.access(os.path.join(d, plugin_type), os.X_OK):
            return os.path.join(d, plugin_type)
    sys.exit(f"cni_run: no plugin {plugin_type} in CNI_PATH")


def run(plugin, command, prev):
    config = dict(plugin, name=conflist["name"], cniVersion=conflist["cniVersion"])
    caps = {k: v for k, v in runtime_config.items() if plugin.get("capabilities", {}).get(k)}
    if caps:
        config["runtimeConfig"] = caps
    if prev is not None:
        config["prevResult"] = prev
    if command == "GC":
        config["cni.dev/valid-attachments"] = json.loads(a.valid)
    env = dict(os.environ, CNI_COMMAND=command, CNI_CONTAINERID=a.id, CNI_NETNS=a.netns,
               CNI_IFNAME=a.ifname, CNI_ARGS=a.args)
    r = subprocess.run([find(plugin["type"])], input=json.dumps(config).encode(),
                       capture_output=True, env=env)
    sys.stderr.write(r.stderr.decode())
    if r.returncode != 0:
        sys.stdout.write(r.stdout.decode())
        sys.exit(r.returncode)
    out = r.stdout.decode().strip()
    return json.loads(out) if out else None


plugins = [q for q in conflist["plugins"] if not a.only or q["type"] in a.only.split(",")]
if a.command == "ADD":
    result = None
    for plugin in plugins:
        result = run(plugin, "ADD", result)
    json.dump(result, open(cache, "w"))
    print(json.dumps(result))
elif a.command in ("CHECK", "DEL"):
    prev = json.load(open(cache)) if os.path.exists(cache) else None
    for plugin in (plugins if a.command == "CHECK" else reversed(plugins)):
        run(plugin, a.command, prev)
    if a.command == "DEL" and os.path.exists(cache):
        os.remove(cache)
else:
    for plugin in plugins:
        run(plugin, a.command, None)
