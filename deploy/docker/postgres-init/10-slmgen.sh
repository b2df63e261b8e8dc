#!/usr/bin/env bash
# First-start initialisation of the compose PostgreSQL (official postgres image runs this once,
# as the superuser, when the data volume is empty). Creates the platform roles (anon,
# authenticated, service_role) and the services' login role with shared-migration's roles.sql, then the
# database owned by that role. Each service migrates its own slice at start (Liquibase).
# On hosted Supabase / a managed PostgreSQL, run the same roles.sql once instead (see deploy/docker/README.md).
set -euo pipefail
: "${SLMGEN_DB_USER:=slmgen}" "${SLMGEN_DB_PASSWORD:=slmgen}" "${SLMGEN_DB_NAME:=slmgen}"
ROLES_SQL="${SLMGEN_ROLES_SQL:-/slmgen/roles.sql}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v app_user="$SLMGEN_DB_USER" -v app_password="$SLMGEN_DB_PASSWORD" -v db_name="$SLMGEN_DB_NAME" <<SQL
SELECT set_config('slmgen.app_user', :'app_user', false) \g /dev/null
SELECT set_config('slmgen.app_password', :'app_password', false) \g /dev/null
\i $ROLES_SQL
SELECT format('CREATE DATABASE %I OWNER %I', :'db_name', :'app_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db_name') \gexec
SQL
echo "slmgen: roles and database '$SLMGEN_DB_NAME' (owner '$SLMGEN_DB_USER') ready"
