#!/usr/bin/env bash
# initContainer wait-for-database of every service: returns once DB_USER can log in to DB_NAME and is a
# member of the platform roles anon, authenticated and service_role (created by Job db-bootstrap; on a
# hosted Supabase they exist already). Until then the service's container does not start. Gives up after
# WAIT_FOR_DATABASE_SECONDS (600) with exit 1; the kubelet then runs it again.
set -uo pipefail
: "${DB_HOST:?}" "${DB_USER:?}" "${DB_NAME:?}"
export PGHOST="$DB_HOST" PGPORT="${DB_PORT:-5432}" PGDATABASE="$DB_NAME" PGUSER="$DB_USER" \
       PGPASSWORD="${DB_PASSWORD:-}" PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"
deadline=$((SECONDS + ${WAIT_FOR_DATABASE_SECONDS:-600}))
while :; do
  n=$(psql -XAtq -c "select count(*) from pg_roles where rolname in ('anon', 'authenticated', 'service_role')
                      and pg_has_role(current_user, oid, 'MEMBER')" 2>/dev/null)
  if [ "$n" = 3 ]; then echo "wait-for-database: $PGUSER@$PGHOST:$PGPORT/$PGDATABASE is ready"; exit 0; fi
  if [ $SECONDS -ge $deadline ]; then
    echo "wait-for-database: $PGUSER cannot use $PGDATABASE at $PGHOST:$PGPORT yet (Job db-bootstrap run?)" >&2; exit 1
  fi
  echo "wait-for-database: waiting for $PGUSER@$PGHOST:$PGPORT/$PGDATABASE and the platform roles"
  sleep 2
done
