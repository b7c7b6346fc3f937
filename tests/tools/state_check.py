#!/usr/bin/env python3
"""Reads every file of the nsnet state directory and fails on a corrupt or
half-written one, or on an address held by two attachments.

Checks: every record (networks/*/attachments/*.json) is a JSON object with a
key and its ips; every lease (networks/*/leases/ADDR) is held by one owner,
and that owner's owners file lists it; no address is in two records or two
owners files; every `nsnet create`/`delete` journal (named/NAME/journal)
names a network. Temp files of a killed writer (.NAME.tmpPID) are reported, not
failed: they are hidden and never read. Usage: state_check.py [STATE_DIR]
"""
import ipaddress
import json
import os
import sys

state = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("NSNET_STATE_DIR", "/run/nsnet")
problems, temps = [], []


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def state_files(directory):
    """(name, path) of each file in directory, sorted; the hidden temp files
    of killed writers (.NAME.tmpPID) go to temps instead."""
    for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        path = os.path.join(directory, name)
        if name.startswith("."):
            temps.append(path)
        else:
            yield name, path


def check_network(net_dir):
    holders = {}  # address -> record file
    att = os.path.join(net_dir, "attachments")
    for name, path in state_files(att):
        try:
            record = json.loads(read(path))
            for field in ("network", "containerId", "ifname", "ips"):
                if field not in record:
                    problems.append(f"{path}: no '{field}'")
            for ip in record.get("ips", []):
                address = str(ipaddress.ip_interface(ip["address"]).ip)
                if address in holders:
                    problems.append(f"{address} is in two records: {holders[address]} and {path}")
                holders[address] = path
        except (ValueError, KeyError, TypeError) as e:
            problems.append(f"{path}: corrupt record: {e!r}")
    leases = os.path.join(net_dir, "leases")
    owned = {}  # address -> owners file
    owners_dir = os.path.join(leases, "owners")
    for name, path in state_files(owners_dir):
        text = read(path)
        for line in text.split():
            if line == "allocating":  # an allocate() was killed; release scans
                continue
            try:
                address = str(ipaddress.ip_address(line))
            except ValueError:
                problems.append(f"{path}: '{line}' is not an address (half-written?)")
                continue
            if address in owned:
                problems.append(f"{address} is owned twice: {owned[address]} and {path}")
            owned[address] = path
    for name, path in state_files(leases):
        if os.path.isdir(path) or name == "lock" or name.startswith("last_reserved"):
            continue
        try:
            ipaddress.ip_address(name)
        except ValueError:
            problems.append(f"{path}: not an address")
            continue
        if not read(path).strip():
            problems.append(f"{path}: empty lease (half-written?)")


def check_journals(named_dir):
    """`nsnet create`/`delete` journals (named/NAME/journal) name a network."""
    for name in sorted(os.listdir(named_dir)) if os.path.isdir(named_dir) else []:
        for entry, path in state_files(os.path.join(named_dir, name)):
            if entry == "journal":
                try:
                    journal = json.loads(read(path))
                    if not isinstance(journal.get("network"), str):
                        problems.append(f"{path}: no 'network'")
                except (ValueError, AttributeError) as e:
                    problems.append(f"{path}: corrupt journal: {e!r}")


check_journals(os.path.join(state, "named"))
networks = os.path.join(state, "networks")
for net in sorted(os.listdir(networks)) if os.path.isdir(networks) else []:
    check_network(os.path.join(networks, net))
for t in temps:
    print(f"state_check: note: temp file of a killed writer: {t}")
for p in problems:
    print(f"state_check: {p}")
sys.exit(1 if problems else 0)
