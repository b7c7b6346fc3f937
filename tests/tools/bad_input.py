#!/usr/bin/env python3
"""Runs the bad-input corpus (tests/data/bad-input/*.json) against nsnet.

Each case is one plugin call (CNI_* env + stdin) or one command line. It must
fail: non-zero exit, for a plugin call exactly one error object on stdout with
the expected CNI code, and the expected word in the message. And it must
change nothing: links, addresses, routes, /run/netns, the state dir and the
nft ruleset are compared before and after every case.

Case keys: what, code (CNI code, or null for a command line), word, and one of
  patch  JSON merge patch (RFC 7386) applied to the base network config
  stdin  the raw text for stdin (no base config)
  argv   nsnet's arguments (a command line, not a plugin call)
plus env: CNI_* overrides for a plugin call (null unsets one). A value "@NAME"
of CNI_NETNS names a fixture made here (see FIXTURES).
Usage: bad_input.py NSNET CASE_DIR
"""
import hashlib
import json
import os
import subprocess
import sys

BASE = {"cniVersion": "1.0.0", "name": "badnet", "type": "nsnet", "bridge": "nsnet-bad0",
        "ipam": {"type": "nsnet", "ranges": [[{"subnet": "10.98.0.0/24"}]]}}
STATE = os.environ.get("NSNET_STATE_DIR", "/run/nsnet")
WORK = "/run/bad-input"
FIXTURES = {
    "@netns": "/run/netns/badns",           # a real netns, for cases that must fail elsewhere
    "@regular": WORK + "/regular",          # a regular file
    "@symlink": WORK + "/symlink",          # a symlink to the regular file
    "@dangling": WORK + "/dangling",        # a symlink to nothing
    "@dir": WORK,                           # a directory
    "@uts": "/proc/self/ns/uts",            # an nsfs file of another namespace type
    "@devnull": "/dev/null",
    "@absent": "/run/netns/absent",
}


def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout


def make_fixtures():
    os.makedirs(WORK, exist_ok=True)
    with open(FIXTURES["@regular"], "w") as f:
        f.write("not a namespace\n")
    for name, target in (("@symlink", FIXTURES["@regular"]), ("@dangling", WORK + "/nothing")):
        if not os.path.lexists(FIXTURES[name]):
            os.symlink(target, FIXTURES[name])
    subprocess.run(["ip", "netns", "add", "badns"], check=True)


def state_files():
    out = []
    for root, _, files in os.walk(STATE):
        for name in files:
            path = os.path.join(root, name)
            # The log of every call, and the allocator's round-robin position,
            # which a refused ADD may move: neither is an attachment's state.
            if name == "cni.log" or name.startswith("last_reserved"):
                continue
            with open(path, "rb") as f:
                out.append(f"{path} {hashlib.sha256(f.read()).hexdigest()}")
    return sorted(out)


def links(*netns):
    """(name, MAC, master, MTU) of every link: not their operstate, which
    settles on its own after the good ADD."""
    out = json.loads(sh("ip", *netns, "-j", "link", "show") or "[]")
    return sorted(f"{l['ifname']} {l.get('address')} {l.get('master')} {l.get('mtu')}" for l in out)


def addresses():
    """Every address but IPv6 link-local ones (which come and go on their own)."""
    out = json.loads(sh("ip", "-j", "addr", "show") or "[]")
    return sorted(f"{l['ifname']} {a['local']}/{a['prefixlen']}" for l in out
                  for a in l.get("addr_info", []) if not a["local"].startswith("fe80:"))


def snapshot():
    return {
        "links": links(),
        "addresses": addresses(),
        "routes": sorted(l for l in sh("ip", "route", "show", "table", "all").split("\n")
                         if "fe80:" not in l and not l.startswith("multicast")),
        "netns links": links("-n", "badns"),
        "/run/netns": sorted(os.listdir("/run/netns")),
        "state dir": state_files(),
        "nft ruleset": sh("nft", "list", "ruleset").split("\n"),
    }


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def run_case(nsnet, case):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CNI_")}
    if "argv" in case:
        return subprocess.run([nsnet] + case["argv"], env=env, capture_output=True, timeout=60)
    env.update({"CNI_COMMAND": "ADD", "CNI_CONTAINERID": "bad1", "CNI_NETNS": FIXTURES["@netns"],
                "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni"})
    for key, value in case.get("env", {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = FIXTURES.get(value, value)
    env = {k: v.encode("utf-8", "surrogateescape") for k, v in env.items()}
    if "stdin" in case:
        stdin = case["stdin"].encode("utf-8", "surrogateescape")
    else:
        stdin = json.dumps(merge_patch(BASE, case.get("patch", {}))).encode()
    return subprocess.run([nsnet], input=stdin, env=env, capture_output=True, timeout=60)


def judge(case, proc):
    """The reasons the case's outcome is wrong (empty if right)."""
    problems = []
    if proc.returncode == 0:
        problems.append("exit status 0")
    if proc.returncode < 0:
        problems.append(f"killed by signal {-proc.returncode}")
    word = case["word"].lower()
    if case.get("code") is None:
        if word not in proc.stderr.decode(errors="replace").lower():
            problems.append(f"'{case['word']}' not in stderr")
        return problems
    try:
        answer = json.loads(proc.stdout)
    except ValueError:
        return problems + ["stdout is not one JSON object"]
    if not isinstance(answer, dict) or answer.get("code") != case["code"]:
        problems.append(f"code {answer.get('code') if isinstance(answer, dict) else None}, "
                        f"expected {case['code']}")
    if isinstance(answer, dict) and word not in str(answer.get("msg", "")).lower():
        problems.append(f"'{case['word']}' not in the message")
    return problems


def main():
    nsnet, case_dir = sys.argv[1], sys.argv[2]
    make_fixtures()
    # One good attachment, so the bad calls meet existing state they must not touch.
    good = dict(os.environ, CNI_COMMAND="ADD", CNI_CONTAINERID="good1",
                CNI_NETNS=FIXTURES["@netns"], CNI_IFNAME="eth0", CNI_PATH="/usr/lib/cni")
    subprocess.run([nsnet], input=json.dumps(BASE).encode(), env=good, check=True,
                   capture_output=True)
    names = sorted(n for n in os.listdir(case_dir) if n.endswith(".json"))
    failures = 0
    for name in names:
        with open(os.path.join(case_dir, name)) as f:
            case = json.load(f)
        before = snapshot()
        proc = run_case(nsnet, case)
        problems = judge(case, proc)
        after = snapshot()
        problems += [f"changed {what}" for what in before if before[what] != after[what]]
        output = (proc.stdout or proc.stderr).decode(errors="replace").strip()[:300]
        if problems:
            failures += 1
            print(f"FAIL {name} ({case['what']}): {'; '.join(problems)}\n     output: {output}")
            for what in before:
                if before[what] != after[what]:
                    gone = [l for l in before[what] if l not in after[what]]
                    new = [l for l in after[what] if l not in before[what]]
                    print(f"     {what}: -{gone} +{new}")
        else:
            print(f"ok   {name}: {output}")
    print(f"{len(names) - failures}/{len(names)} bad-input cases right")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
