#!/usr/bin/env bash
# Creates (or updates) the Secrets overlays/production expects (SPEC §11: the overlay itself renders no
# secret values), from an env file that is never committed:
#   cp deploy/k8s/overlays/production/secrets.env.example deploy/k8s/overlays/production/secrets.env
#   $EDITOR deploy/k8s/overlays/production/secrets.env            # git-ignored (deploy/k8s/.gitignore)
#   deploy/scripts/k8s-secrets.sh deploy/k8s/overlays/production/secrets.env [namespace]   # kubectl apply
#   deploy/scripts/k8s-secrets.sh --print <env file>               # only print the manifests
# Refuses a SUPABASE_JWT_SECRET shorter than 32 bytes or equal to Supabase's public demo secret, an empty
# DB_PASSWORD, and keys signed with another secret; mints SUPABASE_ANON_KEY / SUPABASE_SERVICE_KEY from
# the secret when they are empty (deploy/scripts/keys.sh). PGUSER/PGPASSWORD go to slmgen-db-admin (only the
# db-bootstrap Job reads it), everything else to slmgen-secrets. The TLS certificate is separate:
#   kubectl -n slmgen create secret tls slmgen-tls --cert=fullchain.pem --key=privkey.pem
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PRINT=0
if [ "${1:-}" = "--print" ]; then PRINT=1; shift; fi
ENV_FILE="${1:?usage: k8s-secrets.sh [--print] <secrets.env> [namespace]}"
NAMESPACE="${2:-slmgen}"
[ -f "$ENV_FILE" ] || { echo "k8s-secrets: $ENV_FILE not found (copy secrets.env.example)" >&2; exit 2; }

manifests="$(python3 - "$ENV_FILE" "$NAMESPACE" "$HERE/keys.sh" <<'PY'
import base64, hashlib, hmac, json, subprocess, sys
env_file, ns, keys_sh = sys.argv[1:4]
DEMO = "super-secret-jwt-token-with-at-least-32-characters-long"
vals = {}
for n, line in enumerate(open(env_file), 1):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    if "=" not in line:
        sys.exit(f"k8s-secrets: line {n} is not KEY=value")
    k, v = line.split("=", 1)
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1]
    vals[k.strip()] = v
def fail(msg):
    sys.exit("k8s-secrets: " + msg)
secret = vals.get("SUPABASE_JWT_SECRET", "")
if not secret:
    fail("SUPABASE_JWT_SECRET is empty (openssl rand -base64 48)")
if secret == DEMO:
    fail("SUPABASE_JWT_SECRET is Supabase's public demo secret: anyone could mint tokens")
if len(secret.encode()) < 32:
    fail("SUPABASE_JWT_SECRET is shorter than 32 bytes")
if not vals.get("DB_PASSWORD"):
    fail("DB_PASSWORD is empty")
minted = dict(l.split("=", 1) for l in subprocess.run(["bash", keys_sh], env={"SUPABASE_JWT_SECRET": secret, "PATH": "/usr/bin:/bin"},
                                                      capture_output=True, text=True, check=True).stdout.split())
for k in ("SUPABASE_ANON_KEY", "SUPABASE_SERVICE_KEY"):
    if not vals.get(k):
        vals[k] = minted[k]
    else:  # a given key must be signed with this secret, or the services reject it
        head, body, sig = (vals[k].split(".") + ["", "", ""])[:3]
        mac = base64.urlsafe_b64encode(hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
        if not hmac.compare_digest(mac, sig):
            fail(f"{k} is not signed with SUPABASE_JWT_SECRET")
admin = {k: vals.pop(k) for k in ("PGUSER", "PGPASSWORD") if k in vals}
def secret_doc(name, data):
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": name, "namespace": ns, "labels": {"app.kubernetes.io/part-of": "slmgen"}},
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in sorted(data.items())}}
docs = [secret_doc("slmgen-secrets", vals)]
if admin.get("PGUSER"):
    docs.append(secret_doc("slmgen-db-admin", admin))
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": docs}))
PY
)"
if [ "$PRINT" = 1 ]; then
  echo "$manifests"
else
  echo "$manifests" | kubectl apply -f -
  echo "k8s-secrets: slmgen-secrets$(grep -q slmgen-db-admin <<<"$manifests" && echo ', slmgen-db-admin') applied in namespace $NAMESPACE" >&2
fi
