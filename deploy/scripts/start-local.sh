#!/usr/bin/env bash
# Starts the whole suite locally: PostgreSQL (installed/started when missing), the five services
# (built first) and the nginx gateway on :8080. Returns once everything is ready; stop with
# deploy/scripts/stop-local.sh. Logs: deploy/.run/logs/. Set SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$ROOT/deploy/scripts/db-init.sh"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"
export STORAGE_ROOT="${STORAGE_ROOT:-$RUN_DIR/storage}"
export SUPABASE_URL="${SUPABASE_URL:-http://127.0.0.1:$GATEWAY_PORT}"
mkdir -p "$STORAGE_ROOT"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  log "building (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
fi

for entry in $SERVICES; do
  svc="${entry%%:*}"; port="${entry##*:}"
  pidfile="$RUN_DIR/pids/$svc.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "$svc already running (pid $(cat "$pidfile"))"; continue
  fi
  jar="$ROOT/$svc/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || { echo "missing $jar: build first" >&2; exit 1; }
  PORT="$port" nohup java ${JAVA_OPTS:--Xmx256m} -jar "$jar" >"$RUN_DIR/logs/$svc.log" 2>&1 &
  echo $! >"$pidfile"
  log "started $svc on :$port (pid $!)"
done

if [ -f "$ROOT/console/package.json" ] && { [ "${SKIP_BUILD:-0}" != "1" ] || [ ! -f "$ROOT/console/dist/index.html" ]; }; then
  log "building the web console (console/dist)"
  (cd "$ROOT/console" && npm ci --no-audit --no-fund --silent && npm run --silent build >/dev/null)
fi
if [ -f "$ROOT/deploy/gateway/gateway.sh" ]; then
  bash "$ROOT/deploy/gateway/gateway.sh" start
fi

deadline=$((SECONDS + ${READY_TIMEOUT:-120}))
for entry in $SERVICES; do
  svc="${entry%%:*}"; port="${entry##*:}"
  until curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$svc is not ready on :$port; see $RUN_DIR/logs/$svc.log" >&2
      tail -n 30 "$RUN_DIR/logs/$svc.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  log "$svc ready"
done
log "suite ready: gateway http://127.0.0.1:$GATEWAY_PORT (the Supabase URL); services: $SERVICES"
bash "$ROOT/deploy/scripts/keys.sh"
