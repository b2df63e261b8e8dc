# Shared by the deploy scripts: paths and PostgreSQL superuser access.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$ROOT/deploy/.run"
# Ports: the gateway on SLMGEN_PORT_BASE (default 8080), the services on the next five (SPEC §1), so a
# second copy of the suite can run beside the first with another base.
BASE="${SLMGEN_PORT_BASE:-8080}"
export GATEWAY_PORT="${GATEWAY_PORT:-$BASE}"
export AUTH_SERVICE_URL="${AUTH_SERVICE_URL:-http://127.0.0.1:$((BASE + 1))}"
export CATALOG_SERVICE_URL="${CATALOG_SERVICE_URL:-http://127.0.0.1:$((BASE + 2))}"
export DATASETS_SERVICE_URL="${DATASETS_SERVICE_URL:-http://127.0.0.1:$((BASE + 3))}"
export JOBS_SERVICE_URL="${JOBS_SERVICE_URL:-http://127.0.0.1:$((BASE + 4))}"
export STORAGE_SERVICE_URL="${STORAGE_SERVICE_URL:-http://127.0.0.1:$((BASE + 5))}"
SERVICES="auth-service:${AUTH_SERVICE_URL##*:} catalog-service:${CATALOG_SERVICE_URL##*:} datasets-service:${DATASETS_SERVICE_URL##*:} jobs-service:${JOBS_SERVICE_URL##*:} storage-service:${STORAGE_SERVICE_URL##*:}"
export DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_NAME="${DB_NAME:-slmgen}"
export DB_USER="${DB_USER:-slmgen}" DB_PASSWORD="${DB_PASSWORD:-slmgen}"
export PG_SUPERUSER="${PG_SUPERUSER:-postgres}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# psql as the superuser over TCP (what the tests use too)
su_psql() { PGOPTIONS="-c client_min_messages=warning" PGPASSWORD="${PG_SUPERUSER_PASSWORD:-}" psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$PG_SUPERUSER" "$@"; }
