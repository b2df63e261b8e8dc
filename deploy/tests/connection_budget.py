#!/usr/bin/env python3
"""The connection budget of a rendered overlay (SPEC §11; README "Connection budget").

  connection_budget.py RENDERED.yaml        prints the table, then "ok   - ..." / "FAIL - ..." lines

PostgreSQL's max_connections minus a reserve (annotations slmgen.io/postgres-max-connections and
slmgen.io/postgres-reserved-connections on ConfigMap slmgen-config) must hold every connection the overlay
can open at once:
  - per service pod: its reactive pool (DB_POOL_SIZE, turned into quarkus.datasource.reactive.max-size
    by QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=$(DB_POOL_SIZE)) + its JDBC pool for Liquibase
    (QUARKUS_DATASOURCE_JDBC_MAX_SIZE or shared-rls's default) + for jobs-service one LISTEN connection
    (job events across replicas, SPEC §11);
  - pods: the HPA's maxReplicas (else spec.replicas) plus the rolling update's maxSurge (during a rollout
    at the maximum, the surge pods are connected too);
  - the db-bootstrap Job's psql session.
Exits 1 when the sum does not fit or a figure cannot be read.
"""
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(REPO, "shared-rls/src/main/resources/META-INF/microprofile-config.properties")
LISTEN_PER_POD = {"jobs-service": 1}


def shared_default(key):
    """The default a service gets from shared-rls's properties (e.g. 16 for the reactive pool)."""
    with open(SHARED) as f:
        for line in f:
            m = re.match(rf"^{re.escape(key)}=(.*)$", line.strip())
            if m:
                v = m.group(1)
                d = re.match(r"^\$\{[A-Z_]+:(\d+)\}$", v)  # ${DB_POOL_SIZE:16}
                return int(d.group(1) if d else v)
    raise KeyError(key)


def surge(dep):
    st = dep["spec"].get("strategy", {})
    if st.get("type", "RollingUpdate") != "RollingUpdate":
        return 0
    ms = st.get("rollingUpdate", {}).get("maxSurge", "25%")
    return int(ms) if isinstance(ms, int) or str(ms).isdigit() else 1  # a percentage rounds up to >= 1


def main(path):
    objs = [d for d in yaml.safe_load_all(open(path)) if d]
    results = []

    def check(cond, what):
        results.append(bool(cond))
        print(("ok   - " if cond else "FAIL - ") + what)

    cfg = next((o for o in objs if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "slmgen-config"), None)
    ann = (cfg or {}).get("metadata", {}).get("annotations", {}) or {}
    try:
        max_conn = int(ann["slmgen.io/postgres-max-connections"])
        reserved = int(ann["slmgen.io/postgres-reserved-connections"])
    except (KeyError, ValueError):
        check(False, "slmgen-config declares slmgen.io/postgres-max-connections and -reserved-connections")
        return results
    hpa = {o["spec"]["scaleTargetRef"]["name"]: o["spec"]["maxReplicas"] for o in objs if o["kind"] == "HorizontalPodAutoscaler"}
    jdbc_default = shared_default("quarkus.datasource.jdbc.max-size")
    pool_default = shared_default("quarkus.datasource.reactive.max-size")
    rows, total = [], 0
    for d in objs:
        if d["kind"] != "Deployment" or d["spec"]["template"]["metadata"].get("labels", {}).get("app.kubernetes.io/component") != "service":
            continue
        n = d["metadata"]["name"]
        ctr = d["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e.get("value") for e in ctr.get("env", [])}
        if env.get("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE") == "$(DB_POOL_SIZE)" and str(env.get("DB_POOL_SIZE", "")).isdigit():
            pool = int(env["DB_POOL_SIZE"])
        elif str(env.get("QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "")).isdigit():
            pool = int(env["QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE"])
        else:
            pool = pool_default  # DB_POOL_SIZE alone is not read unless it reaches the pool's max-size
        check(pool <= 32, f"{n}: reactive pool {pool} per pod (a reactive pod needs few; more only moves the queue into PostgreSQL)")
        jdbc = int(env.get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE") or jdbc_default)
        listen = LISTEN_PER_POD.get(n, 0)
        pods = hpa.get(n, d["spec"].get("replicas", 1)) + surge(d)
        conns = pods * (pool + jdbc + listen)
        rows.append((n, pods, pool, jdbc, listen, conns))
        total += conns
    jobs = [o for o in objs if o["kind"] == "Job"]
    total += len(jobs)
    limit = max_conn - reserved
    print(f"# connection budget: max_connections {max_conn} - reserve {reserved} = {limit}")
    print(f"# {'service':<18} {'pods':>4} × ({'pool':>4} + {'jdbc':>4} + {'listen':>6}) = {'conns':>5}")
    for n, pods, pool, jdbc, listen, conns in rows:
        print(f"# {n:<18} {pods:>4} × ({pool:>4} + {jdbc:>4} + {listen:>6}) = {conns:>5}")
    print(f"# + {len(jobs)} bootstrap Job session(s); total {total} of {limit} ({limit - total} left)")
    check(len(rows) == 5, f"five service Deployments counted ({len(rows)})")
    check(total <= limit, f"connections at maximum scale ({total}) fit max_connections - reserve ({limit})")
    return results


if __name__ == "__main__":
    res = main(sys.argv[1])
    sys.exit(0 if res and all(res) else 1)
