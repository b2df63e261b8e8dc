#!/usr/bin/env bash
# Starts the whole suite locally: PostgreSQL (installed/started when missing), the five services (built
# first) and the nginx gateway on :8080. Returns once everything is ready; stop with
# deploy/scripts/stop-local.sh. Logs: deploy/.run/logs/. Set SKIP_BUILD=1 to reuse the last build, and
# START_ONE_BY_ONE=1 to start each instance only once the previous one is ready.
# Start-up (SPEC §13): the build makes each service's AppCDS archive (APPCDS=0: not), and each JVM runs
# from its quarkus-app directory with it when present; JAVA_OPTS replaces the default JVM options.
# Replicas (SPEC §11): SLMGEN_REPLICAS=2 starts a second instance of every service on its port + 10
# (8091-8095 on the default base), the gateway balances over both and the services reach each other
# through deploy/scripts/balancer.sh. Only what is not running is started, so running it again restores
# a killed instance. DB_POOL_SIZE sets each instance's reactive pool (default: the services' 16; 6 with
# replicas, to stay inside the connection budget, README "Connection budget").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$ROOT/deploy/scripts/db-init.sh"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"
# the JVM options of deploy/jvm.options (heap bound, memory given back when idle); G1 kept on purpose:
# -XX:+UseSerialGC measured no faster to start and no less RSS at idle (bench/README.md)
SLMGEN_JAVA_OPTS="@$ROOT/deploy/jvm.options"
export STORAGE_ROOT="${STORAGE_ROOT:-$RUN_DIR/storage}"
export SUPABASE_URL="${SUPABASE_URL:-http://127.0.0.1:$GATEWAY_PORT}"
mkdir -p "$STORAGE_ROOT"
# local mail catcher (deploy/scripts/mail-catcher.sh; MAIL_CATCHER=0 skips it): auth mail goes there unless SMTP_HOST is set
if [ -f "$ROOT/deploy/scripts/mail-catcher.sh" ] && [ -z "${SMTP_HOST:-}" ] && [ "${MAIL_CATCHER:-1}" != 0 ]; then
  eval "$(bash "$ROOT/deploy/scripts/mail-catcher.sh" start)"
fi

# ---- JWT secret (SPEC §11): the services refuse Supabase's public demo secret unless
# SLMGEN_ALLOW_DEMO_SECRET=true. A local run without SUPABASE_JWT_SECRET uses it, allowed, with a warning.
if [ -z "${SUPABASE_JWT_SECRET:-}" ] || [ "$SUPABASE_JWT_SECRET" = "$DEMO_JWT_SECRET" ]; then
  export SUPABASE_JWT_SECRET="$DEMO_JWT_SECRET" SLMGEN_ALLOW_DEMO_SECRET=true
  cat >&2 <<'WARN'
WARNING: SUPABASE_JWT_SECRET is not set: using Supabase's PUBLIC demo secret (SLMGEN_ALLOW_DEMO_SECRET=true).
WARNING: anyone can mint a service_role token for this suite. Local development only: never expose it.
WARNING: for anything shared, set your own: export SUPABASE_JWT_SECRET="$(openssl rand -base64 48)"
WARN
fi

# ---- connection pools (README "Connection budget"): DB_POOL_SIZE -> the reactive pool's max-size
if [ "$REPLICAS" -gt 1 ]; then export DB_POOL_SIZE="${DB_POOL_SIZE:-6}"; fi
if [ -n "${DB_POOL_SIZE:-}" ]; then export QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE="$DB_POOL_SIZE"; fi

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  log "building (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.appcds.enabled="$([ "${APPCDS:-1}" != 0 ] && echo true || echo false)")
fi

echo "$REPLICAS" >"$RUN_DIR/replicas"
READY_TIMEOUT="${READY_TIMEOUT:-$((120 * REPLICAS))}"
wait_ready() { # name port: until /q/health/ready answers, or fail at $deadline with the log's tail
  local name="$1" port="$2"
  until curl -fsS -m 2 "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$name is not ready on :$port; see $RUN_DIR/logs/$name.log" >&2
      tail -n 30 "$RUN_DIR/logs/$name.log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  log "$name ready"
}
for entry in $INSTANCES; do
  name="${entry%%:*}"; port="${entry##*:}"; svc="${name%-2}"
  pidfile="$RUN_DIR/pids/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "$name already running (pid $(cat "$pidfile"))"; continue
  fi
  app="$ROOT/$svc/target/quarkus-app"
  [ -f "$app/quarkus-run.jar" ] || { echo "missing $app/quarkus-run.jar: build first" >&2; exit 1; }
  # the AppCDS archive records the class path as the build ran it: from the directory, -jar quarkus-run.jar
  cds=""
  if [ "${APPCDS:-1}" != 0 ] && [ -f "$app/app-cds.jsa" ]; then cds="-XX:SharedArchiveFile=app-cds.jsa"; fi
  # appended: a restarted instance (fault tests) keeps the log of the one that died
  echo "==== $(date -u +%FT%TZ) start-local.sh: $name on :$port" >>"$RUN_DIR/logs/$name.log"
  (cd "$app" && PORT="$port" exec nohup java ${JAVA_OPTS:-$SLMGEN_JAVA_OPTS} $cds -jar quarkus-run.jar) \
    >>"$RUN_DIR/logs/$name.log" 2>&1 &
  echo $! >"$pidfile"
  log "started $name on :$port (pid $!)"
  # START_ONE_BY_ONE=1 (the fault tests' restarts under load): each instance is ready before the next
  # starts, as pods roll out one by one, so at most one JVM start-up competes with the serving replicas
  if [ "${START_ONE_BY_ONE:-0}" = 1 ]; then deadline=$((SECONDS + READY_TIMEOUT)); wait_ready "$name" "$port"; fi
done

if [ -f "$ROOT/console/package.json" ] && { [ "${SKIP_BUILD:-0}" != "1" ] || [ ! -f "$ROOT/console/dist/index.html" ]; }; then
  log "building the web console (console/dist)"
  (cd "$ROOT/console" && npm ci --no-audit --no-fund --silent && npm run --silent build >/dev/null)
fi
if [ -f "$ROOT/deploy/gateway/gateway.sh" ]; then
  bash "$ROOT/deploy/gateway/gateway.sh" start
fi
if [ "$REPLICAS" -gt 1 ]; then
  bash "$ROOT/deploy/scripts/balancer.sh" start
fi

deadline=$((SECONDS + READY_TIMEOUT))
for entry in $INSTANCES; do
  wait_ready "${entry%%:*}" "${entry##*:}"
done
log "suite ready: gateway http://127.0.0.1:$GATEWAY_PORT (the Supabase URL); services: $INSTANCES"
[ -z "${MAIL_CATCHER_URL:-}" ] || log "mail catcher (every mail the suite sends): $MAIL_CATCHER_URL"
bash "$ROOT/deploy/scripts/keys.sh"
