#!/usr/bin/env bash
# Cluster roles (anon, authenticated, service_role, the services' login role) and the suite's
# database, idempotently. Not for hosted Supabase (its roles and database exist already).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
eval "$(bash "$ROOT/deploy/scripts/ensure-postgres.sh")"
su_psql -d postgres \
  -c "select set_config('slmgen.app_user', '$DB_USER', false), set_config('slmgen.app_password', '$DB_PASSWORD', false)" \
  -f "$ROOT/shared-migration/src/main/resources/db/platform/roles.sql" >/dev/null
if [ "$(su_psql -d postgres -tAc "select 1 from pg_database where datname = '$DB_NAME'")" != "1" ]; then
  su_psql -d postgres -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\"" >/dev/null
  log "created database $DB_NAME"
fi
