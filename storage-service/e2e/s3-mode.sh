#!/usr/bin/env bash
# The supabase-js storage tests of this directory against a storage-service in S3 mode (SPEC §9): starts
# a real S3 API server (S3Proxy, filesystem backend; the jar storage-service's build copies to
# target/s3proxy/) and one storage-service with STORAGE_BACKEND=s3 on its own database, runs
# `npm test` against it, then checks the bucket: no staging marker left, and every stored version
# belongs to a live object row (nothing half-made, nothing orphaned). Stops what it started.
#
#   storage-service/e2e/s3-mode.sh        (after ./mvnw package or verify; builds storage-service if needed)
#
# Ports: the first free ones from SLMGEN_PORT_BASE+20 (S3Proxy) and +21 (the service). Database:
# "${DB_NAME}_s3mode" (created with the suite's roles, dropped at the end).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
MODULE="$(dirname "$HERE")"
source "$MODULE/../deploy/scripts/lib.sh"
S3PROXY_JAR="$MODULE/target/s3proxy/s3proxy.jar"
APP_DIR="$MODULE/target/quarkus-app"
S3_BUCKET=slmgen-e2e
S3_KEY=slmgen-e2e-access
S3_SECRET="slmgen-e2e-secret-$RANDOM$RANDOM"
MODE_DB="${DB_NAME}_s3mode"

if [ ! -f "$APP_DIR/quarkus-run.jar" ] || [ ! -f "$S3PROXY_JAR" ]; then
  log "building storage-service (and fetching S3Proxy)"
  (cd "$ROOT" && ./mvnw -B -q package -pl storage-service -am -DskipTests)
fi
[ -f "$S3PROXY_JAR" ] || { echo "missing $S3PROXY_JAR (storage-service's pom copies org.gaul:s3proxy there)" >&2; exit 1; }

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p="$1"
  while in_use "$p"; do
    p=$((p + 1))
    [ "$p" -le $((BASE + 49)) ] || { echo "no free port in $((BASE + 20))..$((BASE + 49))" >&2; exit 1; }
  done
  echo "$p"
}
S3_PORT="$(free_port $((BASE + 20)))"
SVC_PORT="$(free_port $((S3_PORT + 1)))"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/slmgen-s3mode.XXXXXX")"
S3_PID=""
SVC_PID=""
cleanup() {
  [ -n "$SVC_PID" ] && kill "$SVC_PID" 2>/dev/null && wait "$SVC_PID" 2>/dev/null || true
  [ -n "$S3_PID" ] && kill "$S3_PID" 2>/dev/null && wait "$S3_PID" 2>/dev/null || true
  su_psql -d postgres -c "DROP DATABASE IF EXISTS \"$MODE_DB\"" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() { # url seconds what logfile
  local deadline=$((SECONDS + $2))
  until curl -s -o /dev/null "$1"; do
    if [ $SECONDS -ge $deadline ]; then echo "$3 did not come up; see $4" >&2; tail -n 40 "$4" >&2; exit 1; fi
    sleep 0.5
  done
}

mkdir -p "$WORK/s3/$S3_BUCKET" # the filesystem backend: a bucket is a directory
cat >"$WORK/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_KEY
s3proxy.credential=$S3_SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3
EOF
java -Xmx256m -XX:+UseSerialGC -jar "$S3PROXY_JAR" --properties "$WORK/s3proxy.properties" >"$WORK/s3proxy.log" 2>&1 &
S3_PID=$!
wait_for "http://127.0.0.1:$S3_PORT/" 90 "S3Proxy" "$WORK/s3proxy.log"
log "S3Proxy on :$S3_PORT (pid $S3_PID)"

DB_NAME="$MODE_DB" bash "$ROOT/deploy/scripts/db-init.sh"
# without SUPABASE_JWT_SECRET, this directory's tests sign with the local development secret: allow it
if [ -z "${SUPABASE_JWT_SECRET:-}" ]; then export SLMGEN_ALLOW_DEMO_SECRET="${SLMGEN_ALLOW_DEMO_SECRET:-true}"; fi
(cd "$APP_DIR" && DB_NAME="$MODE_DB" PORT="$SVC_PORT" STORAGE_ROOT="$WORK/unused-root" \
  STORAGE_BACKEND=s3 STORAGE_S3_ENDPOINT="http://127.0.0.1:$S3_PORT" STORAGE_S3_BUCKET="$S3_BUCKET" \
  STORAGE_S3_ACCESS_KEY="$S3_KEY" STORAGE_S3_SECRET_KEY="$S3_SECRET" STORAGE_S3_FORCE_PATH_STYLE=true \
  STORAGE_S3_REGION=us-east-1 STORAGE_S3_KEY_PREFIX=slmgen/ STORAGE_ORPHAN_SWEEP_INTERVAL=0 \
  exec java "@$ROOT/deploy/jvm.options" -jar quarkus-run.jar) >"$WORK/storage-service.log" 2>&1 &
SVC_PID=$!
deadline=$((SECONDS + ${READY_TIMEOUT:-120}))
until curl -fsS "http://127.0.0.1:$SVC_PORT/q/health/ready" >/dev/null 2>&1; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$SVC_PID" 2>/dev/null; then
    echo "storage-service (S3 mode) is not ready on :$SVC_PORT" >&2; tail -n 40 "$WORK/storage-service.log" >&2; exit 1
  fi
  sleep 1
done
log "storage-service in S3 mode on :$SVC_PORT (pid $SVC_PID); supabase-js storage tests"

(cd "$HERE" && npm ci --no-audit --no-fund --silent && STORAGE_URL="http://127.0.0.1:$SVC_PORT" npm test)

# the bucket holds the bytes of live rows only, and no upload is left staged
# (S3Proxy's filesystem backend removes a directory once it is empty: a missing one holds nothing)
files_under() { if [ -d "$1" ]; then find "$1" -type f -printf '%f\n'; fi; }
staged="$(files_under "$WORK/s3/$S3_BUCKET/slmgen/staging" | wc -l)"
[ "$staged" = 0 ] || { echo "S3 mode left $staged staging marker(s)" >&2; files_under "$WORK/s3/$S3_BUCKET/slmgen/staging" >&2; exit 1; }
live="$(su_psql -d "$MODE_DB" -tAc "select version from storage.objects where version is not null" | sort)"
stored="$(files_under "$WORK/s3/$S3_BUCKET/slmgen/objects" | sort)"
orphans="$(comm -13 <(echo "$live") <(echo "$stored") | sed '/^$/d')"
missing="$(comm -23 <(echo "$live") <(echo "$stored") | sed '/^$/d')"
[ -z "$orphans" ] || { echo "S3 mode left bytes without a row: $orphans" >&2; exit 1; }
[ -z "$missing" ] || { echo "S3 mode has rows without bytes: $missing" >&2; exit 1; }
log "S3 mode: supabase-js storage tests passed; $(echo "$stored" | sed '/^$/d' | wc -l) live object(s), nothing staged or orphaned"
