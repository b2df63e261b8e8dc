# Shared by the deploy scripts: paths, ports, replicas and PostgreSQL superuser access.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$ROOT/deploy/.run"
# Ports: the gateway on SLMGEN_PORT_BASE (default 8080), the services on the next five (SPEC §1), so a
# second copy of the suite can run beside the first with another base.
BASE="${SLMGEN_PORT_BASE:-8080}"
export GATEWAY_PORT="${GATEWAY_PORT:-$BASE}"
# Replicas (SPEC §11): SLMGEN_REPLICAS=2 starts a second copy of every service on its port + 10. A running
# suite remembers its count (deploy/.run/replicas), so a restart of what died (SKIP_BUILD=1
# start-local.sh, as the fault tests do) brings back every replica without being told again.
REPLICA_OFFSET=10
REPLICAS="${SLMGEN_REPLICAS:-$(cat "$RUN_DIR/replicas" 2>/dev/null || echo 1)}"
case "$REPLICAS" in 1|2) ;; *) echo "SLMGEN_REPLICAS must be 1 or 2 (got '$REPLICAS')" >&2; exit 2 ;; esac
export SLMGEN_REPLICAS="$REPLICAS"
# With replicas, service-to-service calls go through a local balancer (deploy/scripts/balancer.sh: nginx
# on base + 31..35, one port per service, both replicas behind each), as a Kubernetes Service does; the
# gateway gets the replicas themselves in *_SERVICE_UPSTREAMS.
BALANCER_OFFSET=30
SERVICE_NAMES="auth-service catalog-service datasets-service jobs-service storage-service"
service_env_prefix() { local s="${1%-service}"; echo "${s^^}"; }   # auth-service -> AUTH
if [ "$REPLICAS" = 1 ] && [ "${SLMGEN_BALANCED_URLS:-}" = 1 ]; then
  # inherited from a replica-mode caller: those URLs name balancer ports that a single suite does not have
  unset AUTH_SERVICE_URL CATALOG_SERVICE_URL DATASETS_SERVICE_URL JOBS_SERVICE_URL STORAGE_SERVICE_URL SLMGEN_BALANCED_URLS
  unset AUTH_SERVICE_UPSTREAMS CATALOG_SERVICE_UPSTREAMS DATASETS_SERVICE_UPSTREAMS JOBS_SERVICE_UPSTREAMS STORAGE_SERVICE_UPSTREAMS
fi
if [ "$REPLICAS" = 1 ]; then
  export AUTH_SERVICE_URL="${AUTH_SERVICE_URL:-http://127.0.0.1:$((BASE + 1))}"
  export CATALOG_SERVICE_URL="${CATALOG_SERVICE_URL:-http://127.0.0.1:$((BASE + 2))}"
  export DATASETS_SERVICE_URL="${DATASETS_SERVICE_URL:-http://127.0.0.1:$((BASE + 3))}"
  export JOBS_SERVICE_URL="${JOBS_SERVICE_URL:-http://127.0.0.1:$((BASE + 4))}"
  export STORAGE_SERVICE_URL="${STORAGE_SERVICE_URL:-http://127.0.0.1:$((BASE + 5))}"
  SERVICES="auth-service:${AUTH_SERVICE_URL##*:} catalog-service:${CATALOG_SERVICE_URL##*:} datasets-service:${DATASETS_SERVICE_URL##*:} jobs-service:${JOBS_SERVICE_URL##*:} storage-service:${STORAGE_SERVICE_URL##*:}"
  INSTANCES="$SERVICES"
else
  SERVICES="" INSTANCES="" BALANCED=""
  i=1
  for svc in $SERVICE_NAMES; do
    prefix="$(service_env_prefix "$svc")"
    port=$((BASE + i)); second=$((port + REPLICA_OFFSET)); lb=$((BASE + BALANCER_OFFSET + i))
    SERVICES="$SERVICES $svc:$port"
    INSTANCES="$INSTANCES $svc:$port $svc-2:$second"
    BALANCED="$BALANCED $svc:$lb:127.0.0.1:$port,127.0.0.1:$second"
    export "${prefix}_SERVICE_URL=http://127.0.0.1:$lb"
    export "${prefix}_SERVICE_UPSTREAMS=127.0.0.1:$port 127.0.0.1:$second"
    i=$((i + 1))
  done
  SERVICES="${SERVICES# }" INSTANCES="${INSTANCES# }" BALANCED="${BALANCED# }"
  export SLMGEN_BALANCED_URLS=1
  unset i svc prefix port second lb
fi
export DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_NAME="${DB_NAME:-slmgen}"
export DB_USER="${DB_USER:-slmgen}" DB_PASSWORD="${DB_PASSWORD:-slmgen}"
export PG_SUPERUSER="${PG_SUPERUSER:-postgres}"
# Supabase's public local-demo JWT secret: accepted by the services only with SLMGEN_ALLOW_DEMO_SECRET=true
# (SPEC §11); start-local.sh falls back to it, with a warning, when SUPABASE_JWT_SECRET is not set.
DEMO_JWT_SECRET="super-secret-jwt-token-with-at-least-32-characters-long"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# psql as the superuser over TCP (what the tests use too)
su_psql() { PGOPTIONS="-c client_min_messages=warning" PGPASSWORD="${PG_SUPERUSER_PASSWORD:-}" psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$PG_SUPERUSER" "$@"; }
