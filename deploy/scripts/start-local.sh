#!/usr/bin/env bash
# Starts the whole suite locally: PostgreSQL (installed/started when missing), the five services
# (built first) and the nginx gateway on :8080. Returns once everything is ready; stop with
# deploy/scripts/stop-local.sh. Logs: deploy/.run/logs/. Set SKIP_BUILD=1 to reuse the last build.
# Start-up (SPEC §13): the build makes each service's AppCDS archive (APPCDS=0: not), and each JVM runs
# from its quarkus-app directory with it when present; JAVA_OPTS replaces the default JVM options.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$ROOT/deploy/scripts/db-init.sh"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"
# G1 (the default here) kept on purpose: -XX:+UseSerialGC measured no faster to start and more RSS at idle
# (it commits the whole initial heap); see bench/README.md "Start-up: before/after"
SLMGEN_JAVA_OPTS="-Xmx256m"
export STORAGE_ROOT="${STORAGE_ROOT:-$RUN_DIR/storage}"
export SUPABASE_URL="${SUPABASE_URL:-http://127.0.0.1:$GATEWAY_PORT}"
mkdir -p "$STORAGE_ROOT"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  log "building (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.appcds.enabled="$([ "${APPCDS:-1}" != 0 ] && echo true || echo false)")
fi

for entry in $SERVICES; do
  svc="${entry%%:*}"; port="${entry##*:}"
  pidfile="$RUN_DIR/pids/$svc.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "$svc already running (pid $(cat "$pidfile"))"; continue
  fi
  app="$ROOT/$svc/target/quarkus-app"
  [ -f "$app/quarkus-run.jar" ] || { echo "missing $app/quarkus-run.jar: build first" >&2; exit 1; }
  # the AppCDS archive records the class path as the build ran it: from the directory, -jar quarkus-run.jar
  cds=""
  if [ "${APPCDS:-1}" != 0 ] && [ -f "$app/app-cds.jsa" ]; then cds="-XX:SharedArchiveFile=app-cds.jsa"; fi
  (cd "$app" && PORT="$port" exec nohup java ${JAVA_OPTS:-$SLMGEN_JAVA_OPTS} $cds -jar quarkus-run.jar) \
    >"$RUN_DIR/logs/$svc.log" 2>&1 &
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
