#!/usr/bin/env bash
# Start-up (SPEC §13): each service's JVM jar started alone (the suite's command: java @deploy/jvm.options -jar
# quarkus-run.jar, same environment) on a spare port; time from exec to the first 200 of
# /q/health/ready, and the resident set (VmRSS from /proc) after IDLE_SECONDS idle. Target ≤ 2 s, ≤ 200 MB.
#
# Usage: bench/startup.sh [service ...]   (default: all five; needs PostgreSQL with the suite's schema,
#        i.e. the suite started once; the other services may keep running)
# Env: SUITE_ROOT (checkout with built jars; default this repo), BENCH_PORT_BASE (18180), IDLE_SECONDS (10),
#      JAVA_OPTS (default: the suite root's deploy/jvm.options, as start-local.sh), DB_NAME / DB_HOST / DB_PORT / DB_USER (the services' own
#      variables, passed through: which database the services start against; default slmgen)
# Like start-local.sh, each jar runs from its quarkus-app directory and, when the build made one
# (-Dquarkus.package.jar.appcds.enabled=true), with its AppCDS archive app-cds.jsa (APPCDS=0: without).
# cpu_ms is the service's own CPU time (user + system, /proc/<pid>/stat) when it first answered ready:
# on a shared, loaded machine it says more than the wall-clock ready_ms.
set -euo pipefail
SUITE_ROOT="${SUITE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
BASE="${BENCH_PORT_BASE:-18180}" IDLE="${IDLE_SECONDS:-10}"
DEFAULT_JAVA_OPTS="@$SUITE_ROOT/deploy/jvm.options"
SERVICES=("${@:-auth-service catalog-service datasets-service jobs-service storage-service}")
read -r -a SERVICES <<<"${SERVICES[*]}"
WORK="$(mktemp -d /tmp/slmgen-bench-startup.XXXX)"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
now_ms() { date +%s%3N; }

TICK=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$TICK" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / t }' "/proc/$1/stat" 2>/dev/null || echo "?"; }
printf '%-18s %10s %8s %12s %14s %s\n' service ready_ms cpu_ms rss_idle_MB quarkus_says notes
i=0
BENCH_SECRET="$(openssl rand -hex 32)"
for svc in "${SERVICES[@]}"; do
  i=$((i + 1)); port=$((BASE + i))
  app="$SUITE_ROOT/$svc/target/quarkus-app"
  [ -f "$app/quarkus-run.jar" ] || { echo "$svc: no $app/quarkus-run.jar (build first)"; continue; }
  cds=""
  if [ "${APPCDS:-1}" != 0 ] && [ -f "$app/app-cds.jsa" ]; then cds="-XX:SharedArchiveFile=app-cds.jsa"; fi
  t0=$(now_ms)
  # no built-in JWT secret any more (SPEC §11): the run's own unless SUPABASE_JWT_SECRET is given
  (cd "$app" && SUPABASE_JWT_SECRET="${SUPABASE_JWT_SECRET:-$BENCH_SECRET}" STORAGE_ROOT="$WORK/storage" PORT="$port" exec java ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} $cds -jar quarkus-run.jar) >"$WORK/$svc.log" 2>&1 &
  pid=$!
  ready="" cpu=""
  for _ in $(seq 1 1200); do
    if [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready")" = 200 ]; then ready=$(( $(now_ms) - t0 )); cpu=$(cpu_ms "$pid"); break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  sleep "$IDLE"
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo "?")
  says=$(grep -o 'started in [0-9.]*s' "$WORK/$svc.log" | head -1 | awk '{print $3}')
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  printf '%-18s %10s %8s %12s %14s %s\n' "$svc" "${ready:-never}" "${cpu:-?}" "$rss" "${says:-?}" "${cds:+appcds }$([ -z "$ready" ] && tail -n 3 "$WORK/$svc.log" | tr '\n' ' ')"
done
echo "date $(date -u +%FT%TZ)  nproc $(nproc)  load $(cut -d' ' -f1-3 /proc/loadavg)  db ${DB_NAME:-slmgen}  JAVA_OPTS ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS}  idle ${IDLE}s  (targets: ready <= 2000 ms, RSS <= 200 MB)"
