#!/usr/bin/env bash
# Job db-bootstrap (deploy/k8s/base/db-bootstrap.yaml): once PostgreSQL answers, creates the platform
# roles (anon, authenticated, service_role), the services' login role DB_USER and the database DB_NAME, as
# the admin role of Secret slmgen-db-admin (PGUSER/PGPASSWORD). Idempotent: the same 10-slmgen.sh and
# shared-migration's roles.sql as compose's first start, here over TCP (PGHOST = DB_HOST).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
: "${DB_HOST:?}" "${DB_USER:?}" "${DB_PASSWORD:?}" "${DB_NAME:?}" "${PGUSER:?admin role: Secret slmgen-db-admin}"
export PGHOST="$DB_HOST" PGPORT="${DB_PORT:-5432}" PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"
deadline=$((SECONDS + ${BOOTSTRAP_WAIT_SECONDS:-300}))
until pg_isready -q -d postgres; do
  [ $SECONDS -lt $deadline ] || { echo "db-bootstrap: PostgreSQL at $PGHOST:$PGPORT did not answer" >&2; exit 1; }
  echo "db-bootstrap: waiting for PostgreSQL at $PGHOST:$PGPORT"; sleep 2
done
export POSTGRES_USER="$PGUSER" SLMGEN_DB_USER="$DB_USER" SLMGEN_DB_PASSWORD="$DB_PASSWORD" \
       SLMGEN_DB_NAME="$DB_NAME" SLMGEN_ROLES_SQL="$HERE/roles.sql"
exec bash "$HERE/10-slmgen.sh"
