#!/usr/bin/env bash
# Kubernetes manifests test: renders deploy/k8s/overlays/{local,production} with `kubectl kustomize`
# (kubectl installed from Debian when missing: kubernetes-client) and checks every object parses and
# references only existing objects (deploy/tests/k8s_check.py). When no kubectl works, the overlays are
# rendered by k8s_check.py's own kustomize subset instead (said in the output). When kubectl works, the
# subset renderer is also compared with it. Last line: "N passed, M failed".
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

kubectl_ok() { command -v kubectl >/dev/null 2>&1 && kubectl kustomize "$REPO/deploy/k8s/overlays/local" >/dev/null 2>&1; }
if ! command -v kubectl >/dev/null 2>&1; then
  echo "# kubectl missing: trying Debian's kubernetes-client"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null 2>&1 || true
fi
if kubectl_ok; then
  RENDERER=kubectl
  echo "# renderer: kubectl kustomize ($(kubectl version --client 2>/dev/null | grep -i kustomize | tr -d '\n'))"
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
done

# the copies kustomize needs inside its root must equal their sources
cmp -s "$REPO/deploy/gateway/gateway.conf.template" "$REPO/deploy/k8s/base/gateway/gateway.conf.template" \
  && line ok "base/gateway/gateway.conf.template is identical to deploy/gateway's" \
  || line fail "base/gateway/gateway.conf.template differs from deploy/gateway's (copy it again)"
cmp -s "$REPO/shared-jwt/src/main/resources/db/platform/roles.sql" "$REPO/deploy/k8s/overlays/local/postgres/roles.sql" \
  && line ok "overlays/local/postgres/roles.sql is identical to shared-jwt's" \
  || line fail "overlays/local/postgres/roles.sql differs from shared-jwt's (copy it again)"
cmp -s "$REPO/deploy/docker/postgres-init/10-slmgen.sh" "$REPO/deploy/k8s/overlays/local/postgres/10-slmgen.sh" \
  && line ok "overlays/local/postgres/10-slmgen.sh is identical to deploy/docker's" \
  || line fail "overlays/local/postgres/10-slmgen.sh differs from deploy/docker's (copy it again)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
