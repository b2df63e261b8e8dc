#!/usr/bin/env bash
# Makes sure a local PostgreSQL 15 is installed, running and reachable by the superuser over
# 127.0.0.1 (installs it from Debian when missing). Prints `export PG_SUPERUSER_PASSWORD=...` when it
# had to give the superuser a password, so callers can `eval` it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  log "PostgreSQL not installed: installing from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q postgresql >&2
fi
version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" && $4=="online" {found=1} END {exit !found}'; then
  log "starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
fi
for _ in $(seq 1 60); do
  pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break
  sleep 1
done
pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || { echo "PostgreSQL did not come up" >&2; exit 1; }
if ! su_psql -d postgres -c 'select 1' >/dev/null 2>&1; then
  # a fresh Debian cluster asks for a password over TCP: give the superuser one (local dev only)
  pw="${PG_SUPERUSER_PASSWORD:-postgres}"
  runuser -u postgres -- psql -X -q -c "ALTER ROLE $PG_SUPERUSER PASSWORD '$pw'" >&2
  export PG_SUPERUSER_PASSWORD="$pw"
  su_psql -d postgres -c 'select 1' >/dev/null
  echo "export PG_SUPERUSER_PASSWORD='$pw'"
fi
