# Shared by the deploy scripts: paths and PostgreSQL superuser access.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$ROOT/deploy/.run"
SERVICES="auth-service:8081 catalog-service:8082 datasets-service:8083 jobs-service:8084 storage-service:8085"
export DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_NAME="${DB_NAME:-slmgen}"
export DB_USER="${DB_USER:-slmgen}" DB_PASSWORD="${DB_PASSWORD:-slmgen}"
export PG_SUPERUSER="${PG_SUPERUSER:-postgres}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# psql as the superuser over TCP (what the tests use too)
su_psql() { PGOPTIONS="-c client_min_messages=warning" PGPASSWORD="${PG_SUPERUSER_PASSWORD:-}" psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$PG_SUPERUSER" "$@"; }
