#!/usr/bin/env python3
"""Checks rendered Kubernetes manifests (deploy/tests/k8s-test.sh).

  k8s_check.py render OVERLAY_DIR          fallback renderer (kustomize subset) -> stdout
  k8s_check.py check NAME RENDERED.yaml    prints "ok   - ..." / "FAIL - ..." lines

The renderer implements the subset of kustomize these manifests use: resources (files and
directories), components (kind Component: resources, generators, patches), namespace, labels
(includeSelectors: false), images, configMapGenerator (files) with disableNameSuffixHash, patches
(strategic-merge files: maps merged, lists of named items merged by name with new items first, as
kustomize does; inline JSON6902 with kind/name/labelSelector targets). It is used only when no kubectl
can be had, and is compared with kubectl's output whenever there is one (k8s-test.sh).
"""
import copy
import json
import os
import re
import sys
from urllib.parse import urlsplit

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NAMESPACED_EXCEPT = {"Namespace"}


# ---------------------------------------------------------------- fallback renderer
def _load_docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def _merge(base, patch):
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            out[k] = _merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    if isinstance(base, list) and isinstance(patch, list) and all(isinstance(x, dict) and "name" in x for x in base + patch):
        out = [copy.deepcopy(x) for x in base]
        new = []
        for p in patch:
            for i, b in enumerate(out):
                if b["name"] == p["name"]:
                    out[i] = _merge(b, p)
                    break
            else:
                new.append(copy.deepcopy(p))
        return new + out
    return copy.deepcopy(patch)


def _pointer(doc, path):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]
    cur = doc
    for p in parts[:-1]:
        cur = cur[int(p)] if isinstance(cur, list) else cur[p]
    return cur, parts[-1]


def _json6902(doc, ops):
    for op in ops:
        parent, key = _pointer(doc, op["path"])
        if isinstance(parent, list):
            key = len(parent) if key == "-" else int(key)
        if op["op"] in ("replace", "add"):
            if isinstance(parent, list) and op["op"] == "add":
                parent.insert(key, op["value"])
            else:
                if op["op"] == "replace" and (isinstance(parent, dict) and key not in parent):
                    raise KeyError(f"replace of missing {op['path']}")
                parent[key] = op["value"]
        elif op["op"] == "remove":
            del parent[key]
        else:
            raise ValueError(f"unsupported op {op['op']}")


def _matches(doc, target):
    if "kind" in target and doc["kind"] != target["kind"]:
        return False
    if "name" in target and doc["metadata"]["name"] != target["name"]:
        return False
    if "labelSelector" in target:
        labels = doc["metadata"].get("labels", {})
        for cond in target["labelSelector"].split(","):
            k, v = cond.split("=")
            if labels.get(k.strip()) != v.strip():
                return False
    return True


def render(dirpath, docs=None):
    """Renders the kustomization in dirpath; for a Component, applies it to docs (the including
    kustomization's resources so far)."""
    with open(os.path.join(dirpath, "kustomization.yaml")) as f:
        k = yaml.safe_load(f)
    if docs is None:
        docs = []
    for res in k.get("resources", []):
        p = os.path.normpath(os.path.join(dirpath, res))
        docs.extend(render(p) if os.path.isdir(p) else _load_docs(p))
    for comp in k.get("components", []):
        render(os.path.normpath(os.path.join(dirpath, comp)), docs)
    for gen in k.get("configMapGenerator", []):
        data = {}
        for fpath in gen.get("files", []):
            with open(os.path.join(dirpath, fpath)) as f:
                data[os.path.basename(fpath)] = f.read()
        for lit in gen.get("literals", []):
            key, val = lit.split("=", 1)
            data[key] = val
        if not k.get("generatorOptions", {}).get("disableNameSuffixHash"):
            raise ValueError("renderer supports only disableNameSuffixHash: true")
        docs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": gen["name"]}, "data": data})
    for lab in k.get("labels", []):
        if lab.get("includeSelectors"):
            raise ValueError("renderer supports only includeSelectors: false")
        for d in docs:
            d["metadata"].setdefault("labels", {}).update(lab["pairs"])
            if lab.get("includeTemplates") and "template" in d.get("spec", {}):
                d["spec"]["template"]["metadata"].setdefault("labels", {}).update(lab["pairs"])
    for p in k.get("patches", []):
        if "path" in p:
            for patch in _load_docs(os.path.join(dirpath, p["path"])):
                for i, d in enumerate(docs):
                    if d["kind"] == patch["kind"] and d["metadata"]["name"] == patch["metadata"]["name"]:
                        docs[i] = _merge(d, patch)
        else:
            ops = yaml.safe_load(p["patch"])
            for d in docs:
                if _matches(d, p.get("target", {})):
                    _json6902(d, ops)
    for img in k.get("images", []):
        for d in docs:
            spec = d.get("spec", {}).get("template", {}).get("spec", {})
            for c in spec.get("containers", []) + spec.get("initContainers", []):
                name, _, tag = c["image"].partition(":")
                if name == img["name"]:
                    c["image"] = f"{img.get('newName', name)}:{img.get('newTag', tag)}"
    if "namespace" in k:
        for d in docs:
            if d["kind"] not in NAMESPACED_EXCEPT:
                d["metadata"]["namespace"] = k["namespace"]
    return docs


# ---------------------------------------------------------------- checks
class Checker:
    def __init__(self, name):
        self.name = name
        self.results = []

    def check(self, cond, what, why=""):
        self.results.append(bool(cond))
        print(("ok   - " if cond else "FAIL - ") + f"[{self.name}] {what}" + ("" if cond or not why else f" ({why})"))


def pod_specs(objs):
    for o in objs:
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            yield o, o["spec"]["template"]


def ingress_route(ingresses, path):
    """Service and port for a path by Ingress rules (Exact beats Prefix; longest Prefix wins)."""
    best = None
    for ing in ingresses:
        for rule in ing["spec"].get("rules", []):
            for p in rule.get("http", {}).get("paths", []):
                ip, pt = p["path"], p["pathType"]
                if pt == "Exact":
                    hit, score = path == ip, (len(ip), 1)
                elif pt == "Prefix":
                    segs = [s for s in ip.split("/") if s]
                    req = [s for s in path.split("/") if s]
                    hit, score = req[:len(segs)] == segs, (len(ip.rstrip("/")), 0)
                else:
                    hit, score = False, (0, 0)
                if hit and (best is None or score > best[0]):
                    best = (score, p["backend"]["service"])
    return best[1] if best else None


# ---------------------------------------------------------------- helpers for the checks
# Secrets the production overlay expects to exist (created by deploy/scripts/k8s-secrets.sh or a secret
# store; deploy/k8s/README.md "Secrets"), with the keys the manifests read from them by name.
EXTERNAL_SECRETS = {
    "slmgen-secrets": set(),  # envFrom: every key (secrets.env.example)
    "slmgen-db-admin": {"PGUSER", "PGPASSWORD"},
    "slmgen-tls": {"tls.crt", "tls.key"},
}
DEMO_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long"


def env_file_keys(path):
    keys = set()
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                keys.add(line.split("=", 1)[0].strip())
    return keys


def _strings(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)
    elif node is not None:
        yield str(node)


def demo_findings(objs):
    """Every place of the rendered objects that holds Supabase's public demo secret, a token signed with
    it (any JWT-looking string whose HS256 signature verifies with it, e.g. the demo anon/service keys),
    also inside base64 (Secret `data`)."""
    import base64
    import hashlib
    import hmac
    import re
    jwt_re = re.compile(r"[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}")
    found = []

    def scan(text, where):
        if DEMO_SECRET in text:
            found.append(f"{where}: the demo JWT secret")
        for tok in jwt_re.findall(text):
            head, body, sig = tok.split(".")
            mac = hmac.new(DEMO_SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
            if hmac.compare_digest(base64.urlsafe_b64encode(mac).rstrip(b"=").decode(), sig):
                found.append(f"{where}: a token signed with the demo secret")

    for o in objs:
        where = f"{o['kind']}/{o['metadata'].get('name')}"
        for text in _strings(o):
            scan(text, where)
            try:
                decoded = base64.b64decode(text, validate=True).decode("utf-8")
            except Exception:  # noqa: BLE001
                continue
            scan(decoded, where + " (base64)")
    return found


def _selects(selector, labels):
    """Kubernetes label selector semantics (matchLabels + matchExpressions In/NotIn/Exists/DoesNotExist)."""
    if selector is None:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        k, op, vals = e["key"], e["operator"], e.get("values", [])
        if op == "In" and labels.get(k) not in vals:
            return False
        if op == "NotIn" and labels.get(k) in vals:
            return False
        if op == "Exists" and k not in labels:
            return False
        if op == "DoesNotExist" and k in labels:
            return False
    return True


def _peer_matches(peer, policy_ns, ep):
    """Does a NetworkPolicy peer (from/to entry) match endpoint ep?"""
    if "ipBlock" in peer:
        # pods are reached by selectors; an ipBlock is taken to cover the endpoints outside the cluster
        return ep["external"]
    if ep["external"]:
        return False
    if "namespaceSelector" in peer:
        if not _selects(peer["namespaceSelector"], ep["ns_labels"]):
            return False
    elif ep["ns"] != policy_ns:
        return False
    return _selects(peer.get("podSelector", {}), ep["labels"]) if "podSelector" in peer else True


def _port_matches(rule, port, proto, dst):
    ports = rule.get("ports")
    if not ports:
        return True
    for p in ports:
        if p.get("protocol", "TCP") != proto:
            continue
        want = p.get("port")
        if want is None or want == port or (isinstance(want, str) and dst.get("ports", {}).get(want) == port):
            return True
    return False


def np_allowed(policies, src, dst, port, proto="TCP"):
    """Is a connection src -> dst:port allowed by these NetworkPolicies (both the egress side of src and the
    ingress side of dst, as a CNI enforces them)?"""
    def side(ep, kind, peer_ep, key):
        if ep["external"]:
            return True  # outside the cluster: no policy applies there
        mine = [p for p in policies if p["metadata"]["namespace"] == ep["ns"] and _selects(p["spec"]["podSelector"], ep["labels"])
                and kind in p["spec"].get("policyTypes", ["Ingress"])]
        if not mine:
            return True
        for p in mine:
            for rule in p["spec"].get(key) or []:
                peers = rule.get("from" if key == "ingress" else "to")
                if (not peers or any(_peer_matches(pr, p["metadata"]["namespace"], peer_ep) for pr in peers)) \
                        and _port_matches(rule, port, proto, dst):
                    return True
        return False
    return side(src, "Egress", dst, "egress") and side(dst, "Ingress", src, "ingress")


def network_policy_cases(objs, ns, overlay):
    """(what, allowed?, expected) for the connections the suite needs and some it must not allow."""
    policies = [o for o in objs if o["kind"] == "NetworkPolicy"]
    ns_labels = {"kubernetes.io/metadata.name": ns}
    eps = {}
    for w, tpl in pod_specs(objs):
        ports = {p.get("name"): p["containerPort"] for ctr in tpl["spec"]["containers"] for p in ctr.get("ports", [])}
        eps[w["metadata"]["name"]] = {"ns": ns, "ns_labels": ns_labels, "labels": tpl["metadata"].get("labels", {}),
                                      "ports": ports, "external": False}
    ingress_ctl = {"ns": "ingress-nginx", "ns_labels": {"kubernetes.io/metadata.name": "ingress-nginx"},
                   "labels": {"app.kubernetes.io/name": "ingress-nginx"}, "ports": {}, "external": False}
    dns = {"ns": "kube-system", "ns_labels": {"kubernetes.io/metadata.name": "kube-system"},
           "labels": {"k8s-app": "kube-dns"}, "ports": {}, "external": False}
    intruder = {"ns": ns, "ns_labels": ns_labels, "labels": {"app": "intruder"}, "ports": {}, "external": False}
    other_ns = {"ns": "other", "ns_labels": {"kubernetes.io/metadata.name": "other"}, "labels": {"app.kubernetes.io/name": "ingress-nginx"},
                "ports": {}, "external": False}
    internet = {"ns": None, "ns_labels": {}, "labels": {}, "ports": {}, "external": True}
    svc_port = {"auth-service": 8081, "catalog-service": 8082, "datasets-service": 8083, "jobs-service": 8084, "storage-service": 8085}
    calls = {("auth-service", "datasets-service"), ("catalog-service", "datasets-service"), ("datasets-service", "auth-service"),
             ("datasets-service", "storage-service"), ("jobs-service", "catalog-service"), ("jobs-service", "datasets-service"),
             ("jobs-service", "storage-service"), ("storage-service", "datasets-service")}
    out = []
    if not policies:
        return [("any NetworkPolicy exists", False, True)]
    db = eps.get("postgres") if overlay == "local" else dict(internet)
    gateway = eps.get("gateway")
    if gateway is None:
        return out + [("Deployment gateway exists", False, True)]
    for s in svc_port:
        if s not in eps:
            continue
        # every request enters through the gateway: the ingress controller reaches no service directly
        out.append((f"ingress controller -> {s}", np_allowed(policies, ingress_ctl, eps[s], svc_port[s]), False))
        out.append((f"gateway -> {s}", np_allowed(policies, gateway, eps[s], svc_port[s]), True))
        out.append((f"a pod of namespace {ns} without a role -> {s}", np_allowed(policies, intruder, eps[s], svc_port[s]), False))
        out.append((f"an ingress-nginx-labelled pod of another namespace -> {s}", np_allowed(policies, other_ns, eps[s], svc_port[s]), False))
        out.append((f"{s} -> PostgreSQL:5432", np_allowed(policies, eps[s], db, 5432), True))
        out.append((f"{s} -> cluster DNS", np_allowed(policies, eps[s], dns, 53, "UDP"), True))
        for t in svc_port:
            if t != s and t in eps:
                out.append((f"{s} -> {t}", np_allowed(policies, eps[s], eps[t], svc_port[t]), (s, t) in calls))
        out.append((f"{s} -> the internet (HTTPS)", np_allowed(policies, eps[s], internet, 443),
                    s in ("auth-service", "catalog-service", "storage-service")))
        out.append((f"{s} -> gateway", np_allowed(policies, eps[s], gateway, 8080), False))
    out.append(("ingress controller -> gateway", np_allowed(policies, ingress_ctl, gateway, 8080), True))
    out.append((f"a pod of namespace {ns} without a role -> gateway", np_allowed(policies, intruder, gateway, 8080), False))
    out.append(("an ingress-nginx-labelled pod of another namespace -> gateway", np_allowed(policies, other_ns, gateway, 8080), False))
    out.append(("the internet -> gateway (only through the ingress controller)", np_allowed(policies, internet, gateway, 8080), False))
    out.append(("gateway -> cluster DNS (resolves the Service names)", np_allowed(policies, gateway, dns, 53, "UDP"), True))
    out.append(("gateway -> the internet (HTTPS)", np_allowed(policies, gateway, internet, 443), False))
    out.append(("db-bootstrap -> PostgreSQL:5432", np_allowed(policies, eps["db-bootstrap"], db, 5432), True))
    out.append(("db-bootstrap -> the internet (HTTPS)", np_allowed(policies, eps["db-bootstrap"], internet, 443), False))
    out.append(("gateway -> PostgreSQL:5432", np_allowed(policies, gateway, db, 5432), False))
    if overlay == "local":
        out.append(("ingress controller -> postgres", np_allowed(policies, ingress_ctl, eps["postgres"], 5432), False))
        out.append(("a pod without a role -> postgres", np_allowed(policies, intruder, eps["postgres"], 5432), False))
    return out


def check(name, rendered_path):
    c = Checker(name)
    try:
        with open(rendered_path) as f:
            objs = [d for d in yaml.safe_load_all(f) if d]
        c.check(True, "rendered output parses as YAML")
    except Exception as e:  # noqa: BLE001
        c.check(False, "rendered output parses as YAML", str(e))
        return c
    c.check(len(objs) > 10, f"{len(objs)} objects rendered")
    # the gateway template's own limits: the Ingress in front must not be tighter
    with open(os.path.join(REPO, "deploy/gateway/gateway.conf.template")) as f:
        template_lines = f.read().splitlines()

    def directive_values(name, unit):
        vals = []
        for ln in template_lines:
            parts = ln.split("#", 1)[0].split()
            if len(parts) == 2 and parts[0] == name and parts[1].rstrip(";").endswith(unit):
                vals.append(int(parts[1].rstrip(";")[: -len(unit)]))
        return vals

    max_body_mb = max(directive_values("client_max_body_size", "m") or [0])
    max_read_s = max(directive_values("proxy_read_timeout", "s") or [0])
    max_send_s = max(directive_values("proxy_send_timeout", "s") or [0])
    gateway_vars = sorted({w[2:-1] for ln in template_lines for w in re.findall(r"\$\{GATEWAY_[A-Z_]+\}", ln)})
    c.check(max_body_mb >= 1024 and max_read_s >= 3600 and max_send_s > 0 and len(gateway_vars) >= 5,
            f"gateway template limits read (largest body {max_body_mb}m, read {max_read_s}s, send {max_send_s}s, {len(gateway_vars)} variables)")
    byref = {}
    for o in objs:
        ok = all(k in o for k in ("apiVersion", "kind", "metadata")) and o["metadata"].get("name")
        c.check(ok, f"{o.get('kind')}/{o.get('metadata', {}).get('name')} has apiVersion, kind, name")
        key = (o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"])
        c.check(key not in byref, f"{key[0]}/{key[2]} is unique")
        byref[key] = o

    namespaces = {o["metadata"]["name"] for o in objs if o["kind"] == "Namespace"}
    nss = {o["metadata"].get("namespace") for o in objs if o["kind"] != "Namespace"}
    c.check(len(nss) == 1 and None not in nss, "every object is in one namespace", str(nss))
    ns = next(iter(nss))
    c.check(ns in namespaces, f"namespace {ns} is created by the overlay")

    def get(kind, nm):
        return byref.get((kind, ns, nm))

    def keys_of(o):
        return set((o.get("data") or {}).keys()) | set((o.get("stringData") or {}).keys())

    # production renders no Secret (SPEC §11): the ones it uses are created outside (deploy/k8s/README.md)
    external_note = " (external, documented)" if name == "production" else ""

    def secret_exists(sn):
        return sn in EXTERNAL_SECRETS if name == "production" else get("Secret", sn) is not None

    # ---- workloads
    services = [o for o in objs if o["kind"] == "Service"]
    for w, tpl in pod_specs(objs):
        wn = f"{w['kind']}/{w['metadata']['name']}"
        labels = tpl["metadata"].get("labels", {})
        if w["kind"] != "Job":  # a Job's selector is generated
            sel = w["spec"]["selector"].get("matchLabels", {})
            c.check(sel and all(labels.get(k) == v for k, v in sel.items()), f"{wn} selector matches its pod labels")
        spec = tpl["spec"]
        c.check(spec.get("securityContext", {}).get("runAsNonRoot") is True, f"{wn} runs as non-root")
        claims = {v["metadata"]["name"] for v in w["spec"].get("volumeClaimTemplates", [])}
        vols = {v["name"] for v in spec.get("volumes", [])} | claims
        for v in spec.get("volumes", []):
            if "configMap" in v:
                cm = get("ConfigMap", v["configMap"]["name"])
                c.check(cm is not None, f"{wn} volume {v['name']}: ConfigMap {v['configMap']['name']} exists")
            if "secret" in v:
                c.check(secret_exists(v["secret"]["secretName"]), f"{wn} volume {v['name']}: Secret exists{external_note}")
            if "persistentVolumeClaim" in v:
                cn = v["persistentVolumeClaim"]["claimName"]
                c.check(get("PersistentVolumeClaim", cn) is not None, f"{wn} volume {v['name']}: PVC {cn} exists")
        for ctr in spec.get("initContainers", []) + spec["containers"]:
            cn = f"{wn}/{ctr['name']}"
            is_init = ctr in spec.get("initContainers", [])
            res = ctr.get("resources", {})
            c.check(res.get("requests") and res.get("limits"), f"{cn} has resource requests and limits")
            c.check(ctr.get("securityContext", {}).get("allowPrivilegeEscalation") is False, f"{cn} forbids privilege escalation")
            for ef in ctr.get("envFrom", []):
                if "configMapRef" in ef:
                    c.check(get("ConfigMap", ef["configMapRef"]["name"]) is not None, f"{cn} envFrom ConfigMap {ef['configMapRef']['name']} exists")
                if "secretRef" in ef:
                    c.check(secret_exists(ef["secretRef"]["name"]), f"{cn} envFrom Secret {ef['secretRef']['name']} exists{external_note}")
            for e in ctr.get("env", []):
                vf = e.get("valueFrom", {})
                for kind, ref in (("ConfigMap", vf.get("configMapKeyRef")), ("Secret", vf.get("secretKeyRef"))):
                    if ref and kind == "Secret" and name == "production":
                        c.check(ref["key"] in EXTERNAL_SECRETS.get(ref["name"], set()),
                                f"{cn} env {e['name']}: external Secret {ref['name']} documents key {ref['key']}")
                    elif ref:
                        o = get(kind, ref["name"])
                        c.check(o is not None and ref["key"] in keys_of(o), f"{cn} env {e['name']}: {kind} {ref['name']} has key {ref['key']}")
            for m in ctr.get("volumeMounts", []):
                c.check(m["name"] in vols, f"{cn} mount {m['mountPath']} names an existing volume")
            ports = {p.get("name"): p["containerPort"] for p in ctr.get("ports", [])}
            component = labels.get("app.kubernetes.io/component")
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                pr = ctr.get(probe)
                if component == "service" and not is_init:
                    c.check(pr is not None, f"{cn} has a {probe}")
                if pr and "httpGet" in pr:
                    port = pr["httpGet"]["port"]
                    c.check(port in ports or port in ports.values(), f"{cn} {probe} port {port} is a container port")
                    want = {"service": {"startupProbe": "/q/health/started", "livenessProbe": "/q/health/live",
                                        "readinessProbe": "/q/health/ready"}.get(probe),
                            "gateway": "/gateway/health"}.get(component)
                    c.check(want is None or pr["httpGet"]["path"] == want, f"{cn} {probe} path {pr['httpGet']['path']}", f"want {want}")
            if component == "service" and not is_init:
                env = {e["name"]: e.get("value") for e in ctr.get("env", [])}
                c.check(env.get("PORT") == str(ports.get("http")), f"{cn} PORT env equals its http port")
                envfrom = {ef.get("configMapRef", {}).get("name") for ef in ctr.get("envFrom", [])} | \
                          {ef.get("secretRef", {}).get("name") for ef in ctr.get("envFrom", [])}
                c.check({"slmgen-config", "slmgen-secrets"} <= envfrom, f"{cn} gets slmgen-config and slmgen-secrets")

    # ---- services select pods and name their ports
    for s in services:
        sn = f"Service/{s['metadata']['name']}"
        sel = s["spec"].get("selector", {})
        matched = [tpl for w, tpl in pod_specs(objs) if w["kind"] != "Job" and sel and all(tpl["metadata"].get("labels", {}).get(k) == v for k, v in sel.items())]
        c.check(len(matched) == 1, f"{sn} selects exactly one workload", f"{len(matched)} matched")
        if matched:
            ports = {}
            for ctr in matched[0]["spec"]["containers"]:
                ports.update({p.get("name"): p["containerPort"] for p in ctr.get("ports", [])})
            for sp in s["spec"]["ports"]:
                tp = sp.get("targetPort", sp["port"])
                c.check(tp in ports or tp in ports.values(), f"{sn} port {sp['port']} -> targetPort {tp} exists")

    def svc_port_ok(backend):
        s = get("Service", backend["name"])
        return s is not None and backend["port"].get("number") in {p["port"] for p in s["spec"]["ports"]}

    # ---- config: every SPEC §2 variable is configured; URLs point at existing Services
    cfg = get("ConfigMap", "slmgen-config") or {}
    sec = get("Secret", "slmgen-secrets") or {}
    spec_vars = ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_KEY", "SUPABASE_JWT_SECRET",
                 "SUPABASE_STORAGE_URL", "SUPABASE_JWKS_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER",
                 "DB_PASSWORD", "AUTH_SERVICE_URL", "CATALOG_SERVICE_URL", "DATASETS_SERVICE_URL",
                 "JOBS_SERVICE_URL", "STORAGE_SERVICE_URL", "STORAGE_ROOT", "AUTH_MODE", "FRONTEND_ORIGIN",
                 "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "AUTH_RATE_LIMIT_SIGNUP_SIGNIN",
                 "AUTH_RATE_LIMIT_TOKEN_REFRESH", "AUTH_RATE_LIMIT_VERIFY", "AUTH_RATE_LIMIT_EMAIL_SENT"]
    secret_keys = ("SUPABASE_SERVICE_KEY", "SUPABASE_JWT_SECRET", "DB_PASSWORD")
    if name == "production":
        # the Secret is not rendered (SPEC §11): its keys are those of secrets.env.example
        example = env_file_keys(os.path.join(REPO, "deploy/k8s/overlays/production/secrets.env.example"))
        allkeys = keys_of(cfg) | example
        missing = [v for v in spec_vars if v not in allkeys]
        c.check(not missing, "ConfigMap + secrets.env.example carry every SPEC §2 variable", f"missing {missing}")
        for secret_key in secret_keys + ("STORAGE_S3_ACCESS_KEY", "STORAGE_S3_SECRET_KEY"):
            c.check(secret_key in example and secret_key not in keys_of(cfg), f"{secret_key} is in secrets.env.example only")
    else:
        allkeys = keys_of(cfg) | keys_of(sec)
        missing = [v for v in spec_vars if v not in allkeys]
        c.check(not missing, "ConfigMap + Secret carry every SPEC §2 variable", f"missing {missing}")
        for secret_key in secret_keys:
            c.check(secret_key in keys_of(sec) and secret_key not in keys_of(cfg), f"{secret_key} is in the Secret only")
    for key in ("AUTH_SERVICE_URL", "CATALOG_SERVICE_URL", "DATASETS_SERVICE_URL", "JOBS_SERVICE_URL", "STORAGE_SERVICE_URL"):
        u = urlsplit((cfg.get("data") or {}).get(key, ""))
        s = get("Service", u.hostname or "")
        c.check(s is not None and u.port in {p["port"] for p in s["spec"]["ports"]}, f"{key} points at an existing Service port", (cfg.get("data") or {}).get(key))

    # ---- one Ingress, every path -> THE gateway (which routes; gateway-test.sh checks its routes)
    ingresses = [o for o in objs if o["kind"] == "Ingress"]
    c.check(len(ingresses) == 1, "exactly one Ingress (every path of the host goes to the gateway)",
            str([i["metadata"]["name"] for i in ingresses]))
    for ing in ingresses:
        inn = f"Ingress/{ing['metadata']['name']}"
        backends = [p["backend"]["service"] for rule in ing["spec"].get("rules", []) for p in rule["http"]["paths"]]
        if "defaultBackend" in ing["spec"]:
            backends.append(ing["spec"]["defaultBackend"]["service"])
        for b in backends:
            c.check(b["name"] == "gateway" and b["port"].get("number") == 8080 and svc_port_ok(b),
                    f"{inn} backend {b['name']}:{b['port'].get('number')} is the gateway Service's port 8080")
        paths = [(p["path"], p["pathType"]) for rule in ing["spec"].get("rules", []) for p in rule["http"]["paths"]]
        c.check(paths and all(pt == ("/", "Prefix") for pt in paths), f"{inn} has the one path / (Prefix)", str(paths))
        ann = ing["metadata"].get("annotations") or {}
        cors = [k for k, v in ann.items() if "cors" in k.lower() or "access-control" in str(v).lower()]
        c.check(not cors, f"{inn} has no CORS annotation nor snippet (the gateway answers CORS; two Allow-Origin headers break browsers)", str(cors))
        snippets = [k for k in ann if k.endswith("-snippet")]
        c.check(not snippets, f"{inn} has no configuration snippet (the gateway's template is the one configuration)", str(snippets))

        def size_mb(v):
            v = str(v).strip().lower()
            mult = {"k": 1 / 1024, "m": 1, "g": 1024}
            return float(v[:-1]) * mult[v[-1]] if v and v[-1] in mult else (float(v) / 1048576 if v.isdigit() else -1)

        def seconds(v):
            v = str(v).strip().lower().rstrip("s")
            return int(v) if v.isdigit() else -1

        body = ann.get("nginx.ingress.kubernetes.io/proxy-body-size", "")
        c.check(size_mb(body) >= max_body_mb, f"{inn} proxy-body-size {body} holds the gateway's largest route limit ({max_body_mb:g}m)")
        c.check(ann.get("nginx.ingress.kubernetes.io/proxy-request-buffering") == "off", f"{inn} streams request bodies (proxy-request-buffering off)")
        c.check(ann.get("nginx.ingress.kubernetes.io/proxy-buffering") == "off", f"{inn} streams answers, SSE included (proxy-buffering off)")
        rt = ann.get("nginx.ingress.kubernetes.io/proxy-read-timeout", "")
        st = ann.get("nginx.ingress.kubernetes.io/proxy-send-timeout", "")
        c.check(seconds(rt) >= max_read_s, f"{inn} proxy-read-timeout {rt} >= the gateway's longest ({max_read_s}s, SSE)")
        c.check(seconds(st) >= max_send_s, f"{inn} proxy-send-timeout {st} >= the gateway's ({max_send_s}s)")
    # every route of routes.tsv and the paths only the gateway answers (JSON 404s, health) reach the gateway
    paths = []
    with open(os.path.join(HERE, "routes.tsv")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                method, target, svc = line.rstrip("\n").split("\t")
                paths.append((f"{method} {urlsplit(target).path}", urlsplit(target).path))
    paths += [(p, p) for p in ("/rest/v1/unknown_table", "/api/profiles", "/slmgen/health", "/gateway/health",
                               "/auth/callback", "/console/", "/", "/nope")]
    for what, path in paths:
        got = ingress_route(ingresses, path)
        c.check(got is not None and got["name"] == "gateway", f"Ingress sends {what} to the gateway", f"got {got}")
    # the gateway Deployment behind it runs deploy/gateway's template (compared byte for byte below) with
    # every ${GATEWAY_*} name of it set
    gw = get("Deployment", "gateway")
    gsvc = get("Service", "gateway")
    c.check(gw is not None and gsvc is not None, "Deployment and Service gateway exist")
    if gw and gsvc:
        tpl = gw["spec"]["template"]
        c.check(all(tpl["metadata"].get("labels", {}).get(k) == v for k, v in gsvc["spec"]["selector"].items()),
                "Service gateway selects the gateway pods")
        ctr = tpl["spec"]["containers"][0]
        mounts = {m["mountPath"]: m["name"] for m in ctr.get("volumeMounts", [])}
        vols = {v["name"]: v for v in tpl["spec"].get("volumes", [])}
        tv = vols.get(mounts.get("/etc/nginx/templates"), {})
        c.check(tv.get("configMap", {}).get("name") == "slmgen-gateway-template",
                "gateway mounts ConfigMap slmgen-gateway-template at /etc/nginx/templates")
        env = {e["name"] for e in ctr.get("env", [])}
        missing = sorted(set(gateway_vars) - env)
        c.check(not missing, "gateway sets every ${GATEWAY_*} of the template", f"missing {missing}")
        # behind the ingress controller (TLS ends there) the gateway must believe its X-Forwarded-*, or every
        # client gets the controller's address (auth-service's per-IP limits) and http as its scheme
        trusted = next((e.get("value", "") for e in ctr.get("env", []) if e["name"] == "GATEWAY_TRUSTED_PROXIES"), "")
        entries = [x.split() for x in trusted.split(";") if x.strip()]
        believed = [e[0] for e in entries if len(e) == 2 and e[1] == "1"]
        services_trust = {x.strip() for x in ((cfg.get("data") or {}).get("SLMGEN_TRUSTED_PROXIES") or "").split(",")}
        c.check(believed and all(len(e) == 2 for e in entries) and set(believed) <= services_trust,
                "gateway believes the ingress controller's X-Forwarded-* (GATEWAY_TRUSTED_PROXIES, within the services' SLMGEN_TRUSTED_PROXIES)",
                trusted)
        c.check(gw["spec"].get("replicas", 1) >= 2, f"gateway runs at least 2 replicas (every request passes it)",
                str(gw["spec"].get("replicas", 1)))
        st = gw["spec"].get("strategy", {})
        c.check(st.get("type", "RollingUpdate") == "RollingUpdate" and st.get("rollingUpdate", {}).get("maxUnavailable") == 0,
                "gateway rolls out without taking a ready pod away first (maxUnavailable 0)")
    c.check(any("add_header Access-Control-Allow-Origin" in ln for ln in template_lines),
            "the gateway template sets Access-Control-Allow-Origin itself (CORS without the Ingress)")

    # ---- HPA / PDB targets
    for o in objs:
        if o["kind"] == "HorizontalPodAutoscaler":
            t = o["spec"]["scaleTargetRef"]
            c.check(get(t["kind"], t["name"]) is not None, f"HPA/{o['metadata']['name']} targets an existing {t['kind']}")
        if o["kind"] == "PodDisruptionBudget":
            sel = o["spec"]["selector"]["matchLabels"]
            hit = [tpl for _, tpl in pod_specs(objs) if all(tpl["metadata"].get("labels", {}).get(k) == v for k, v in sel.items())]
            c.check(len(hit) == 1, f"PDB/{o['metadata']['name']} selects one workload")

    # ---- overlay specifics
    deps = {o["metadata"]["name"]: o for o in objs if o["kind"] == "Deployment"}
    images = {n: d["spec"]["template"]["spec"]["containers"][0]["image"] for n, d in deps.items() if n.endswith("-service")}
    c.check(len(images) == 5, "five service Deployments", str(sorted(images)))
    data = cfg.get("data") or {}
    db_host = data.get("DB_HOST")
    hpas = {o["spec"]["scaleTargetRef"]["name"]: o for o in objs if o["kind"] == "HorizontalPodAutoscaler"}
    pdb_targets = {o["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/name") for o in objs if o["kind"] == "PodDisruptionBudget"}
    storage = deps.get("storage-service", {"spec": {"template": {"spec": {}}}})
    storage_claims = [v for v in storage["spec"]["template"]["spec"].get("volumes", []) if "persistentVolumeClaim" in v]
    demo = demo_findings(objs)
    if name == "production":
        c.check(all(i.endswith(":native") for i in images.values()), "production uses native images", str(images))
        c.check(set(images) <= set(hpas), "production autoscales every service (storage in S3 mode too)", str(sorted(hpas)))
        c.check("gateway" in hpas, "production autoscales the gateway (every request passes it)", str(sorted(hpas)))
        c.check("gateway" in pdb_targets, "production keeps gateway pods through drains (PodDisruptionBudget)", str(sorted(pdb_targets)))
        for n, d in deps.items():
            scaled = n in hpas or d["spec"].get("replicas", 1) > 1
            c.check(not scaled or n in pdb_targets, f"scaled Deployment {n} has a PodDisruptionBudget")
        for hn, h in hpas.items():
            c.check(h["spec"].get("minReplicas", 1) >= 2, f"HPA/{hn} keeps at least 2 pods (a PDB can then let one go)")
        c.check(not any(o["kind"] == "StatefulSet" for o in objs), "production runs no database in the cluster (managed PostgreSQL)")
        c.check(get("Service", db_host) is None, "production DB_HOST is an external (managed) host", db_host)
        # SPEC §11: no secret values in the production render
        c.check(not any(o["kind"] == "Secret" for o in objs), "production renders no Secret (slmgen-secrets etc. are created outside)")
        c.check(not demo, "production render contains no Supabase demo secret or key, nor any token signed with the demo secret",
                "; ".join(demo[:3]))
        c.check(data.get("SLMGEN_ALLOW_DEMO_SECRET", "false").lower() != "true" and
                not any(e.get("name") == "SLMGEN_ALLOW_DEMO_SECRET" for _, t in pod_specs(objs) for ct in t["spec"]["containers"] for e in ct.get("env", [])),
                "production does not set SLMGEN_ALLOW_DEMO_SECRET")
        # S3 mode (SPEC §11)
        c.check(data.get("STORAGE_BACKEND") == "s3" and all(data.get(k) for k in ("STORAGE_S3_ENDPOINT", "STORAGE_S3_REGION", "STORAGE_S3_BUCKET")),
                "production storage runs in S3 mode (endpoint, region, bucket configured)")
        example = env_file_keys(os.path.join(REPO, "deploy/k8s/overlays/production/secrets.env.example"))
        c.check({"STORAGE_S3_ACCESS_KEY", "STORAGE_S3_SECRET_KEY"} <= example, "S3 credentials come from the Secret (secrets.env.example)")
        c.check(not storage_claims and get("PersistentVolumeClaim", "slmgen-storage") is None, "production storage-service has no volume (stateless)")
        c.check(storage["spec"].get("strategy", {}).get("type") == "RollingUpdate", "production storage-service rolls like the others")
        # TLS (SPEC §11)
        for ing in ingresses:
            tls = ing["spec"].get("tls") or []
            hosts = {h for r in ing["spec"]["rules"] for h in [r.get("host")]}
            c.check(tls and all(t.get("secretName") in EXTERNAL_SECRETS for t in tls) and hosts <= {h for t in tls for h in t.get("hosts", [])},
                    f"Ingress/{ing['metadata']['name']} terminates TLS for its hosts with Secret slmgen-tls")
    if name == "local":
        c.check(all(i.endswith(":jvm") for i in images.values()), "local uses JVM images", str(images))
        c.check(get("StatefulSet", "postgres") is not None and get("Service", db_host) is not None, "local DB_HOST is the in-cluster postgres Service", db_host)
        pg = get("StatefulSet", "postgres") or {"spec": {"template": {"spec": {"volumes": []}}}}
        pg_init = {v.get("configMap", {}).get("name") for v in pg["spec"]["template"]["spec"].get("volumes", [])}
        c.check("slmgen-db-bootstrap" in pg_init, "local postgres initialises from the same scripts as Job db-bootstrap")
        c.check(data.get("FRONTEND_ORIGIN") == "*", "local FRONTEND_ORIGIN reflects any origin")
        c.check(all(r.get("host") == "localhost" for i in ingresses for r in i["spec"]["rules"]), "local Ingress host is localhost")
        c.check(keys_of(sec) >= {"SUPABASE_JWT_SECRET", "DB_PASSWORD"} and (sec.get("stringData") or {}).get("DB_PASSWORD") == "slmgen",
                "local Secret has the keys and DB_PASSWORD")
        # the demo secret is allowed locally only with the explicit flag (SPEC §11)
        c.check(not demo or data.get("SLMGEN_ALLOW_DEMO_SECRET") == "true",
                f"local demo values ({len(demo)} found) come with SLMGEN_ALLOW_DEMO_SECRET=true")
        c.check(data.get("STORAGE_BACKEND") == "filesystem" and len(storage_claims) == 1, "local storage is the filesystem mode on a volume")
    # filesystem mode: one replica, Recreate (a RollingUpdate would wait on the ReadWriteOnce volume)
    if storage_claims:
        c.check(storage["spec"].get("replicas", 1) == 1 and "storage-service" not in hpas, "filesystem-mode storage-service keeps one replica (no HPA)")
        c.check(storage["spec"].get("strategy", {}).get("type") == "Recreate", "filesystem-mode storage-service uses the Recreate strategy")
    for n, d in deps.items():
        if n.endswith("-service") and n != "storage-service" or (n == "storage-service" and not storage_claims):
            st = d["spec"].get("strategy", {})
            c.check(st.get("type") == "RollingUpdate" and st.get("rollingUpdate", {}).get("maxUnavailable") == 0,
                    f"{n} rolls out without taking a ready pod away first (maxUnavailable 0)")

    # ---- database bootstrap (Job + every service waits for it)
    job = get("Job", "db-bootstrap")
    c.check(job is not None, "Job db-bootstrap exists")
    scripts = get("ConfigMap", "slmgen-db-bootstrap") or {}
    sdata = scripts.get("data") or {}
    with open(os.path.join(REPO, "shared-migration/src/main/resources/db/platform/roles.sql")) as f:
        c.check(sdata.get("roles.sql") == f.read(), "ConfigMap slmgen-db-bootstrap carries shared-migration's roles.sql unchanged")
    with open(os.path.join(REPO, "deploy/docker/postgres-init/10-slmgen.sh")) as f:
        c.check(sdata.get("10-slmgen.sh") == f.read(), "ConfigMap slmgen-db-bootstrap carries compose's 10-slmgen.sh unchanged")
    if job:
        jspec = job["spec"]["template"]["spec"]
        jc = jspec["containers"][0]
        c.check(jc.get("command", [])[-1:] == ["/slmgen-db/bootstrap.sh"] and "bootstrap.sh" in sdata, "Job db-bootstrap runs db/bootstrap.sh")
        envs = {e["name"]: e for e in jc.get("env", [])}
        c.check(all(envs.get(k, {}).get("valueFrom", {}).get("secretKeyRef", {}).get("name") == "slmgen-db-admin" for k in ("PGUSER", "PGPASSWORD")),
                "Job db-bootstrap logs in as the admin of Secret slmgen-db-admin")
        c.check(jspec.get("restartPolicy") in ("OnFailure", "Never") and job["spec"].get("backoffLimit", 6) >= 3, "Job db-bootstrap retries")
    for n, d in deps.items():
        if not n.endswith("-service"):
            continue
        inits = d["spec"]["template"]["spec"].get("initContainers", [])
        w = [i for i in inits if i.get("command", [])[-1:] == ["/slmgen-db/wait-for-database.sh"]]
        c.check(w and "wait-for-database.sh" in sdata, f"{n} waits for the database roles before it starts (initContainer)")
        pool = {e["name"]: e.get("value") for e in d["spec"]["template"]["spec"]["containers"][0].get("env", [])}
        c.check(str(pool.get("DB_POOL_SIZE", "")).isdigit() and pool.get("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE") == "$(DB_POOL_SIZE)",
                f"{n} sizes its reactive pool from DB_POOL_SIZE ({pool.get('DB_POOL_SIZE')})")

    # ---- NetworkPolicies (evaluated: what is allowed and what is not)
    for what, ok, expect in network_policy_cases(objs, ns, name):
        c.check(ok == expect, f"NetworkPolicy: {what} {'allowed' if expect else 'denied'}", "got the opposite")
    tpl_cm = get("ConfigMap", "slmgen-gateway-template") or {}
    with open(os.path.join(REPO, "deploy/gateway/gateway.conf.template")) as f:
        c.check((tpl_cm.get("data") or {}).get("gateway.conf.template") == f.read(), "ConfigMap slmgen-gateway-template (the gateway's) is deploy/gateway's template unchanged")
    return c


if __name__ == "__main__":
    if sys.argv[1] == "render":
        yaml.safe_dump_all(render(sys.argv[2]), sys.stdout, sort_keys=False)
    else:
        res = check(sys.argv[2], sys.argv[3]).results
        sys.exit(0 if all(res) else 1)
