#!/usr/bin/env python3
"""Checks rendered Kubernetes manifests (deploy/tests/k8s-test.sh).

  k8s_check.py render OVERLAY_DIR          fallback renderer (kustomize subset) -> stdout
  k8s_check.py check NAME RENDERED.yaml    prints "ok   - ..." / "FAIL - ..." lines

The renderer implements the subset of kustomize these manifests use: resources (files and
directories), namespace, labels (includeSelectors: false), images, configMapGenerator (files) with
disableNameSuffixHash, patches (strategic-merge files for ConfigMap/Secret-like dicts, inline JSON6902
with kind/name/labelSelector targets). It is used only when kubectl is not available.
"""
import copy
import json
import os
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
        for p in patch:
            for i, b in enumerate(out):
                if b["name"] == p["name"]:
                    out[i] = _merge(b, p)
                    break
            else:
                out.append(copy.deepcopy(p))
        return out
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


def render(dirpath):
    with open(os.path.join(dirpath, "kustomization.yaml")) as f:
        k = yaml.safe_load(f)
    docs = []
    for res in k.get("resources", []):
        p = os.path.normpath(os.path.join(dirpath, res))
        docs.extend(render(p) if os.path.isdir(p) else _load_docs(p))
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
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet"):
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

    # ---- workloads
    services = [o for o in objs if o["kind"] == "Service"]
    for w, tpl in pod_specs(objs):
        wn = f"{w['kind']}/{w['metadata']['name']}"
        labels = tpl["metadata"].get("labels", {})
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
                c.check(get("Secret", v["secret"]["secretName"]) is not None, f"{wn} volume {v['name']}: Secret exists")
            if "persistentVolumeClaim" in v:
                cn = v["persistentVolumeClaim"]["claimName"]
                c.check(get("PersistentVolumeClaim", cn) is not None, f"{wn} volume {v['name']}: PVC {cn} exists")
        for ctr in spec["containers"]:
            cn = f"{wn}/{ctr['name']}"
            res = ctr.get("resources", {})
            c.check(res.get("requests") and res.get("limits"), f"{cn} has resource requests and limits")
            c.check(ctr.get("securityContext", {}).get("allowPrivilegeEscalation") is False, f"{cn} forbids privilege escalation")
            for ef in ctr.get("envFrom", []):
                if "configMapRef" in ef:
                    c.check(get("ConfigMap", ef["configMapRef"]["name"]) is not None, f"{cn} envFrom ConfigMap {ef['configMapRef']['name']} exists")
                if "secretRef" in ef:
                    c.check(get("Secret", ef["secretRef"]["name"]) is not None, f"{cn} envFrom Secret {ef['secretRef']['name']} exists")
            for e in ctr.get("env", []):
                vf = e.get("valueFrom", {})
                for kind, ref in (("ConfigMap", vf.get("configMapKeyRef")), ("Secret", vf.get("secretKeyRef"))):
                    if ref:
                        o = get(kind, ref["name"])
                        c.check(o is not None and ref["key"] in keys_of(o), f"{cn} env {e['name']}: {kind} {ref['name']} has key {ref['key']}")
            for m in ctr.get("volumeMounts", []):
                c.check(m["name"] in vols, f"{cn} mount {m['mountPath']} names an existing volume")
            ports = {p.get("name"): p["containerPort"] for p in ctr.get("ports", [])}
            component = labels.get("app.kubernetes.io/component")
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                pr = ctr.get(probe)
                if component == "service":
                    c.check(pr is not None, f"{cn} has a {probe}")
                if pr and "httpGet" in pr:
                    port = pr["httpGet"]["port"]
                    c.check(port in ports or port in ports.values(), f"{cn} {probe} port {port} is a container port")
                    want = {"service": {"startupProbe": "/q/health/started", "livenessProbe": "/q/health/live",
                                        "readinessProbe": "/q/health/ready"}.get(probe),
                            "gateway": "/gateway/health"}.get(component)
                    c.check(want is None or pr["httpGet"]["path"] == want, f"{cn} {probe} path {pr['httpGet']['path']}", f"want {want}")
            if component == "service":
                env = {e["name"]: e.get("value") for e in ctr.get("env", [])}
                c.check(env.get("PORT") == str(ports.get("http")), f"{cn} PORT env equals its http port")
                envfrom = {ef.get("configMapRef", {}).get("name") for ef in ctr.get("envFrom", [])} | \
                          {ef.get("secretRef", {}).get("name") for ef in ctr.get("envFrom", [])}
                c.check({"slmgen-config", "slmgen-secrets"} <= envfrom, f"{cn} gets slmgen-config and slmgen-secrets")

    # ---- services select pods and name their ports
    for s in services:
        sn = f"Service/{s['metadata']['name']}"
        sel = s["spec"].get("selector", {})
        matched = [tpl for _, tpl in pod_specs(objs) if sel and all(tpl["metadata"].get("labels", {}).get(k) == v for k, v in sel.items())]
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
    allkeys = keys_of(cfg) | keys_of(sec)
    spec_vars = ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_KEY", "SUPABASE_JWT_SECRET",
                 "SUPABASE_STORAGE_URL", "SUPABASE_JWKS_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER",
                 "DB_PASSWORD", "AUTH_SERVICE_URL", "CATALOG_SERVICE_URL", "DATASETS_SERVICE_URL",
                 "JOBS_SERVICE_URL", "STORAGE_SERVICE_URL", "STORAGE_ROOT", "AUTH_MODE", "FRONTEND_ORIGIN",
                 "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "AUTH_RATE_LIMIT_SIGNUP_SIGNIN",
                 "AUTH_RATE_LIMIT_TOKEN_REFRESH", "AUTH_RATE_LIMIT_VERIFY", "AUTH_RATE_LIMIT_EMAIL_SENT"]
    missing = [v for v in spec_vars if v not in allkeys]
    c.check(not missing, "ConfigMap + Secret carry every SPEC §2 variable", f"missing {missing}")
    for secret_key in ("SUPABASE_SERVICE_KEY", "SUPABASE_JWT_SECRET", "DB_PASSWORD"):
        c.check(secret_key in keys_of(sec) and secret_key not in keys_of(cfg), f"{secret_key} is in the Secret only")
    for key in ("AUTH_SERVICE_URL", "CATALOG_SERVICE_URL", "DATASETS_SERVICE_URL", "JOBS_SERVICE_URL", "STORAGE_SERVICE_URL"):
        u = urlsplit((cfg.get("data") or {}).get(key, ""))
        s = get("Service", u.hostname or "")
        c.check(s is not None and u.port in {p["port"] for p in s["spec"]["ports"]}, f"{key} points at an existing Service port", (cfg.get("data") or {}).get(key))

    # ---- ingress = gateway routes
    ingresses = [o for o in objs if o["kind"] == "Ingress"]
    c.check(len(ingresses) >= 1, "an Ingress exists")
    for ing in ingresses:
        inn = f"Ingress/{ing['metadata']['name']}"
        if "defaultBackend" in ing["spec"]:
            c.check(svc_port_ok(ing["spec"]["defaultBackend"]["service"]), f"{inn} default backend exists")
        for rule in ing["spec"].get("rules", []):
            for p in rule["http"]["paths"]:
                c.check(svc_port_ok(p["backend"]["service"]), f"{inn} {p['path']} -> existing {p['backend']['service']['name']}:{p['backend']['service']['port'].get('number')}")
        ann = ing["metadata"].get("annotations", {})
        c.check(ann.get("nginx.ingress.kubernetes.io/enable-cors") == "true", f"{inn} enables CORS")
        allow = ann.get("nginx.ingress.kubernetes.io/cors-allow-headers", "")
        need = ["apikey", "authorization", "x-client-info", "x-upsert", "content-profile", "accept-profile",
                "prefer", "range", "x-supabase-api-version", "content-type", "cache-control"]
        c.check(all(h in [x.strip() for x in allow.split(",")] for h in need), f"{inn} allows the supabase-js headers")
        expose = [x.strip() for x in ann.get("nginx.ingress.kubernetes.io/cors-expose-headers", "").split(",")]
        c.check(all(h in expose for h in ["Content-Range", "Content-Length", "ETag", "Location", "X-Request-Id"]), f"{inn} exposes Content-Range etc.")
    svc_of = {"auth": "auth-service", "catalog": "catalog-service", "datasets": "datasets-service",
              "jobs": "jobs-service", "storage": "storage-service"}
    with open(os.path.join(HERE, "routes.tsv")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            method, target, svc = line.rstrip("\n").split("\t")
            path = urlsplit(target).path
            got = ingress_route(ingresses, path)
            c.check(got is not None and got["name"] == svc_of[svc], f"Ingress routes {method} {path} -> {svc_of[svc]}", f"got {got}")
    for path, want in [("/rest/v1/unknown_table", "gateway-fallback"), ("/rest/v1/profiles_archive", "gateway-fallback"),
                       ("/api/profiles", "gateway-fallback"), ("/slmgen/health", "gateway-fallback"),
                       ("/gateway/health", "gateway-fallback"), ("/nope", "gateway-fallback")]:
        got = ingress_route(ingresses, path)
        c.check(got is not None and got["name"] == want, f"Ingress sends {path} to {want} (JSON 404 / health)", f"got {got}")
    by_path = {}
    for ing in ingresses:
        for rule in ing["spec"].get("rules", []):
            for p in rule["http"]["paths"]:
                by_path[p["path"]] = ing["metadata"].get("annotations", {})
    for p in ("/storage/v1", "/api/datasets", "/slmgen/upload"):
        a = by_path.get(p, {})
        c.check(a.get("nginx.ingress.kubernetes.io/proxy-body-size") == "1100m" and a.get("nginx.ingress.kubernetes.io/proxy-request-buffering") == "off",
                f"Ingress {p}: 1100m body, request buffering off")
    for p in ("/api/jobs", "/slmgen/training"):
        c.check(by_path.get(p, {}).get("nginx.ingress.kubernetes.io/proxy-buffering") == "off", f"Ingress {p}: response buffering off (SSE)")
    c.check(by_path.get("/rest/v1/profiles", {}).get("nginx.ingress.kubernetes.io/proxy-body-size") == "10m", "Ingress small paths: 10m body")

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
    db_host = (cfg.get("data") or {}).get("DB_HOST")
    if name == "production":
        c.check(all(i.endswith(":native") for i in images.values()), "production uses native images", str(images))
        hpas = {o["spec"]["scaleTargetRef"]["name"] for o in objs if o["kind"] == "HorizontalPodAutoscaler"}
        c.check({"auth-service", "catalog-service", "datasets-service", "jobs-service"} <= hpas, "production autoscales the stateless services")
        c.check(not any(o["kind"] == "StatefulSet" for o in objs), "production runs no database in the cluster (managed PostgreSQL)")
        c.check(get("Service", db_host) is None, "production DB_HOST is an external (managed) host", db_host)
    if name == "local":
        c.check(all(i.endswith(":jvm") for i in images.values()), "local uses JVM images", str(images))
        c.check(get("StatefulSet", "postgres") is not None and get("Service", db_host) is not None, "local DB_HOST is the in-cluster postgres Service", db_host)
        init = get("ConfigMap", "slmgen-postgres-init") or {}
        with open(os.path.join(REPO, "shared-jwt/src/main/resources/db/platform/roles.sql")) as f:
            c.check((init.get("data") or {}).get("roles.sql") == f.read(), "local postgres init carries shared-jwt's roles.sql unchanged")
        with open(os.path.join(REPO, "deploy/docker/postgres-init/10-slmgen.sh")) as f:
            c.check((init.get("data") or {}).get("10-slmgen.sh") == f.read(), "local postgres init script = compose's")
        c.check((cfg.get("data") or {}).get("FRONTEND_ORIGIN") == "*", "local FRONTEND_ORIGIN reflects any origin")
        c.check(all(r.get("host") == "localhost" for i in ingresses for r in i["spec"]["rules"]), "local Ingress host is localhost")
        c.check(keys_of(sec) >= {"SUPABASE_JWT_SECRET", "DB_PASSWORD"} and (sec.get("stringData") or {}).get("DB_PASSWORD") == "slmgen",
                "local Secret patch keeps the base keys and sets DB_PASSWORD")
    tpl_cm = get("ConfigMap", "slmgen-gateway-template") or {}
    with open(os.path.join(REPO, "deploy/gateway/gateway.conf.template")) as f:
        c.check((tpl_cm.get("data") or {}).get("gateway.conf.template") == f.read(), "gateway-fallback uses deploy/gateway's template unchanged")
    return c


if __name__ == "__main__":
    if sys.argv[1] == "render":
        yaml.safe_dump_all(render(sys.argv[2]), sys.stdout, sort_keys=False)
    else:
        res = check(sys.argv[2], sys.argv[3]).results
        sys.exit(0 if all(res) else 1)
