#!/usr/bin/env python3
"""Checks deploy/kubernetes/nsnet.yaml without a cluster: the fields the API
server would require, the references between the objects (role, binding,
service account, volumes, ConfigMap keys) and the typos it would reject.

Usage: k8s_manifest_check.py MANIFEST  (exit 1 listing every problem)."""
import json
import re
import sys

import yaml

API_VERSIONS = {
    "ServiceAccount": "v1",
    "ConfigMap": "v1",
    "ClusterRole": "rbac.authorization.k8s.io/v1",
    "ClusterRoleBinding": "rbac.authorization.k8s.io/v1",
    "DaemonSet": "apps/v1",
}
NAMESPACED = {"ServiceAccount", "ConfigMap", "DaemonSet"}
TOP_KEYS = {
    "ServiceAccount": {"apiVersion", "kind", "metadata", "automountServiceAccountToken"},
    "ConfigMap": {"apiVersion", "kind", "metadata", "data"},
    "ClusterRole": {"apiVersion", "kind", "metadata", "rules"},
    "ClusterRoleBinding": {"apiVersion", "kind", "metadata", "roleRef", "subjects"},
    "DaemonSet": {"apiVersion", "kind", "metadata", "spec"},
}
POD_SPEC_KEYS = {"serviceAccountName", "hostNetwork", "priorityClassName", "tolerations",
                 "nodeSelector", "initContainers", "containers", "volumes",
                 "terminationGracePeriodSeconds"}
CONTAINER_KEYS = {"name", "image", "imagePullPolicy", "command", "args", "env",
                  "volumeMounts", "securityContext", "resources"}
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

problems = []


def need(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def check_container(c, where, volumes, config_map, config_mount):
    need(isinstance(c, dict), f"{where}: must be a mapping")
    if not isinstance(c, dict):
        return
    need(not set(c) - CONTAINER_KEYS, f"{where}: unknown keys {sorted(set(c) - CONTAINER_KEYS)}")
    need(DNS_LABEL.match(str(c.get("name", ""))), f"{where}: name must be a DNS label")
    need(isinstance(c.get("image"), str) and c["image"], f"{where}: image is required")
    mounts = c.get("volumeMounts", [])
    for m in mounts:
        need(m.get("name") in volumes, f"{where}: volumeMount '{m.get('name')}' names no volume")
        need(str(m.get("mountPath", "")).startswith("/"), f"{where}: mountPath must be absolute")
    for e in c.get("env", []):
        need(ENV_NAME.match(str(e.get("name", ""))), f"{where}: bad env name {e.get('name')!r}")
        need(("value" in e) != ("valueFrom" in e), f"{where}: env {e.get('name')} needs value or valueFrom")
        if isinstance(e.get("value"), (int, float, bool)):
            problems.append(f"{where}: env {e['name']} value must be a string (quote it)")
    names = {e.get("name"): e for e in c.get("env", [])}
    need(names.get("NODE_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
         == "spec.nodeName", f"{where}: NODE_NAME must come from spec.nodeName")
    # The script the container runs must be a key of the mounted ConfigMap.
    cmd = c.get("command", [])
    scripts = [a for a in cmd if isinstance(a, str) and a.startswith(config_mount + "/")]
    need(scripts, f"{where}: command runs no script from {config_mount}")
    for s in scripts:
        need(s[len(config_mount) + 1:] in config_map.get("data", {}),
             f"{where}: {s} is not a key of ConfigMap {config_map['metadata']['name']}")
        need(any(m.get("mountPath") == config_mount for m in mounts),
             f"{where}: runs {s} but does not mount {config_mount}")


def main(path):
    try:
        docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
    except yaml.YAMLError as e:
        print(f"{path}: not valid YAML: {e}")
        return 1
    by_kind = {}
    for i, d in enumerate(docs):
        where = f"document {i + 1}"
        if not need(isinstance(d, dict), f"{where}: must be a mapping"):
            continue
        kind = d.get("kind")
        if not need(kind in API_VERSIONS, f"{where}: unexpected kind {kind!r}"):
            continue
        where = f"{kind}"
        need(d.get("apiVersion") == API_VERSIONS[kind], f"{where}: apiVersion must be {API_VERSIONS[kind]}")
        need(not set(d) - TOP_KEYS[kind], f"{where}: unknown keys {sorted(set(d) - TOP_KEYS[kind])}")
        meta = d.get("metadata") or {}
        need(DNS_LABEL.match(str(meta.get("name", ""))), f"{where}: metadata.name must be a DNS label")
        if kind in NAMESPACED:
            need(meta.get("namespace") == "kube-system", f"{where}: namespace must be kube-system")
        need(kind not in by_kind, f"{where}: more than one")
        by_kind[kind] = d
    missing = set(API_VERSIONS) - set(by_kind)
    if not need(not missing, f"missing objects: {sorted(missing)}"):
        return report(path)

    sa, role, binding = by_kind["ServiceAccount"], by_kind["ClusterRole"], by_kind["ClusterRoleBinding"]
    cm, ds = by_kind["ConfigMap"], by_kind["DaemonSet"]
    grants = set()
    for r in role.get("rules", []):
        if "" in r.get("apiGroups", []) and "nodes" in r.get("resources", []):
            grants |= set(r.get("verbs", []))
    need({"get", "list"} <= grants, "ClusterRole: must grant get and list on nodes")
    ref = binding.get("roleRef", {})
    need(ref.get("kind") == "ClusterRole" and ref.get("name") == role["metadata"]["name"]
         and ref.get("apiGroup") == "rbac.authorization.k8s.io",
         "ClusterRoleBinding: roleRef must name the ClusterRole")
    need({"kind": "ServiceAccount", "name": sa["metadata"]["name"], "namespace": "kube-system"}
         in binding.get("subjects", []), "ClusterRoleBinding: subjects must hold the ServiceAccount")

    conflist = cm.get("data", {}).get("nsnet.conflist", "")
    try:
        conf = json.loads(conflist)
        plugin = conf["plugins"][0]
        need(conf.get("cniVersion") and conf.get("name"), "conflist: cniVersion and name are required")
        need(plugin.get("type") == "nsnet", "conflist: the first plugin must be of type nsnet")
        need(plugin.get("capabilities", {}).get("portMappings") is True,
             "conflist: capabilities.portMappings must be true (hostPort)")
        need(isinstance(plugin.get("ipam", {}).get("ranges"), list), "conflist: ipam.ranges must be a list")
    except (ValueError, KeyError, IndexError, TypeError) as e:
        problems.append(f"ConfigMap: nsnet.conflist is not a conflist: {e!r}")

    spec = ds.get("spec", {})
    tmpl = spec.get("template", {})
    labels = tmpl.get("metadata", {}).get("labels", {})
    sel = spec.get("selector", {}).get("matchLabels", {})
    need(sel and all(labels.get(k) == v for k, v in sel.items()),
         "DaemonSet: selector.matchLabels must match the template's labels")
    pod = tmpl.get("spec", {})
    need(not set(pod) - POD_SPEC_KEYS, f"DaemonSet pod: unknown keys {sorted(set(pod) - POD_SPEC_KEYS)}")
    need(pod.get("serviceAccountName") == sa["metadata"]["name"],
         "DaemonSet pod: serviceAccountName must be the ServiceAccount")
    need(pod.get("hostNetwork") is True, "DaemonSet pod: hostNetwork must be true (it installs the pod network)")
    need({"operator": "Exists"} in pod.get("tolerations", []),
         "DaemonSet pod: must tolerate every taint (nodes are NotReady until a CNI is installed)")
    volumes = {v.get("name"): v for v in pod.get("volumes", [])}
    host_paths = {v["hostPath"].get("path") for v in volumes.values() if "hostPath" in v}
    need({"/opt/cni/bin", "/etc/cni/net.d"} <= host_paths,
         "DaemonSet pod: hostPath volumes /opt/cni/bin and /etc/cni/net.d are required")
    config_vols = [n for n, v in volumes.items() if v.get("configMap", {}).get("name") == cm["metadata"]["name"]]
    need(config_vols, "DaemonSet pod: no volume mounts ConfigMap nsnet-config")
    need(all("configMap" not in v or v["configMap"].get("name") == cm["metadata"]["name"]
             for v in volumes.values()), "DaemonSet pod: a configMap volume names an unknown ConfigMap")
    need(len(pod.get("initContainers", [])) == 1 and len(pod.get("containers", [])) >= 1,
         "DaemonSet pod: needs the install-cni init container and a container")
    for kind in ("initContainers", "containers"):
        for i, c in enumerate(pod.get(kind, [])):
            check_container(c, f"DaemonSet {kind}[{i}]", volumes, cm, "/etc/nsnet")
    return report(path)


def report(path):
    for p in problems:
        print(f"{path}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
