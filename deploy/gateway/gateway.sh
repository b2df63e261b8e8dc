#!/usr/bin/env bash
# Local SLMGEN gateway: the real nginx in front of the five services, without touching /etc/nginx.
#
#   deploy/gateway/gateway.sh start    install nginx from Debian if missing, render, nginx -t, start
#   deploy/gateway/gateway.sh stop     stop the nginx started here (by its pid file)
#   deploy/gateway/gateway.sh status   running or not, and /gateway/health
#   deploy/gateway/gateway.sh render   only render the config (and check it with nginx -t)
#
# Configuration (environment, SPEC §2, §11; all optional):
#   GATEWAY_PORT (8080), AUTH_SERVICE_URL (http://127.0.0.1:8081), CATALOG_SERVICE_URL (…8082),
#   DATASETS_SERVICE_URL (…8083), JOBS_SERVICE_URL (…8084), STORAGE_SERVICE_URL (…8085),
#   AUTH_SERVICE_UPSTREAMS … STORAGE_SERVICE_UPSTREAMS: replicas of a service as a space-separated list
#     of host:port (e.g. "127.0.0.1:8081 127.0.0.1:8091"); when unset, the one *_SERVICE_URL,
#   FRONTEND_UPSTREAM (e.g. http://127.0.0.1:3000): the web app served at / on this origin (the console
#     then stays at /console/); unset: / serves the console,
#   FRONTEND_ORIGIN ("*" = reflect any origin; or a comma-separated list of exact origins),
#   GATEWAY_RUN_DIR (deploy/.run/gateway): config, pid, logs and temp files all live here.
#   GATEWAY_TRUSTED_PROXIES ("0.0.0.0/32 0;" = none): a proxy in front of this gateway whose X-Forwarded-For,
#     -Proto and -Port are believed, as nginx geo entries ("127.0.0.1/32 1;" behind a local TLS proxy).
#   CONSOLE_DIST (console/dist): the built web console served at /console/; SUPABASE_ANON_KEY or
#   SUPABASE_JWT_SECRET: the anon key the console reads from /console/console-config.json;
#   MAIL_CATCHER_URL: the local mail catcher's web UI, linked from the console (start-local.sh sets it).
#
#   deploy/gateway/gateway.sh set-frontend http://127.0.0.1:3000|off   switch the web app at / on the running
#                                        gateway (nginx reload, no restart)
#   deploy/gateway/gateway.sh sync-k8s   copy the template to deploy/k8s/base/gateway/ (kustomize loads
#                                        files only from inside its root; the tests fail when they differ)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
RUN_DIR="${GATEWAY_RUN_DIR:-$REPO/deploy/.run/gateway}"
TEMPLATE="$HERE/gateway.conf.template"
PID_FILE="$RUN_DIR/nginx.pid"
CONF="$RUN_DIR/nginx.conf"

log() { echo "gateway: $*" >&2; }

# http://host:port/anything -> host:port  (port defaults to 80/443 from the scheme)
hostport() {
  local url="$1" scheme rest hp
  scheme="${url%%://*}"; [ "$scheme" = "$url" ] && scheme=http
  rest="${url#*://}"; hp="${rest%%/*}"
  case "$hp" in
    *:*) echo "$hp" ;;
    *) if [ "$scheme" = https ]; then echo "$hp:443"; else echo "$hp:80"; fi ;;
  esac
}

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  [ -x /usr/sbin/nginx ] && { PATH="$PATH:/usr/sbin"; return 0; }
  log "nginx not found: installing it from Debian"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  # policy-rc.d style environments refuse to start the system nginx, which is what we want;
  # a system nginx that does start listens on :80 and does not disturb this one
  $SUDO apt-get install -y -qq nginx-light >/dev/null 2>&1 || $SUDO apt-get install -y -qq nginx >/dev/null
  command -v nginx >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
  command -v nginx >/dev/null 2>&1 || { log "could not install nginx"; exit 1; }
}

ensure_envsubst() {
  command -v envsubst >/dev/null 2>&1 && return 0
  log "envsubst not found: installing gettext-base from Debian"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gettext-base >/dev/null
}

# The servers of one service for the template's `server ${GATEWAY_<SVC>_UPSTREAM};`: the replicas listed in
# <SVC>_SERVICE_UPSTREAMS ("h1:p1 h2:p2", commas and URLs accepted), else the one <SVC>_SERVICE_URL; several are joined
# as "h1:p1; server h2:p2", then listed once more as backups that are never taken out: "...; server h1:p1 backup
# max_fails=0; server h2:p2 backup max_fails=0". nginx takes a failing replica out for fail_timeout (10 s). When
# the other is down too, say killed, one 503 or timeout from the surviving replica would leave no server, and
# every request would get 502 for 10 s. With the backups, nginx still tries each replica; a dead one refuses at
# once and the request moves on. One server (Kubernetes: the Service) needs none: nginx never takes a lone
# server out.
servers() { # servers NAME LIST FALLBACK_URL
  local name="$1" list="${2//,/ }" fallback="$3" out="" backups="" entry hp n=0
  [ -n "${list// /}" ] || list="$fallback"
  for entry in $list; do
    hp="$(hostport "$entry")"
    case "$hp" in
      *[!A-Za-z0-9._:\[\]-]*|:*|*:) log "$name: '$entry' is not host:port"; exit 1 ;;
    esac
    out="${out:+$out; server }$hp"
    backups="$backups; server $hp backup max_fails=0"
    n=$((n + 1))
  done
  if [ "$n" -gt 1 ]; then out="$out$backups"; fi
  echo "$out"
}

# FRONTEND_UPSTREAM (http://host:port) -> the template's server entry; none -> a server marked down
frontend_server() {
  local url="$1" hp
  case "$url" in
    ""|off|none) echo "127.0.0.1:9 down"; return 0 ;;
    https://*) log "FRONTEND_UPSTREAM must be a plain http:// address (TLS ends at the gateway or in front of it)"; exit 1 ;;
  esac
  hp="$(servers FRONTEND_UPSTREAM "$url" "")"
  case "$hp" in *";"*) log "FRONTEND_UPSTREAM takes one address"; exit 1 ;; esac
  echo "$hp"
}

# Serve another web app at / (or none: off) on the running gateway without a restart: re-renders the last
# configuration with only GATEWAY_FRONTEND_UPSTREAM changed, checks it, and reloads nginx.
set_frontend() {
  local pid
  pid="$(running_pid)" || { log "not running"; exit 1; }
  [ -f "$RUN_DIR/gateway.env" ] || { log "no $RUN_DIR/gateway.env: restart the gateway once"; exit 1; }
  # shellcheck disable=SC1091
  source "$RUN_DIR/gateway.env"
  export GATEWAY_FRONTEND_UPSTREAM="$(frontend_server "${1:-off}")"
  local names; names="$(grep -o '\${GATEWAY_[A-Z_]*}' "$TEMPLATE" | sort -u | tr '\n' ' ')"
  envsubst "$names" < "$TEMPLATE" > "$RUN_DIR/gateway.conf.next"
  mv "$RUN_DIR/gateway.conf" "$RUN_DIR/gateway.conf.prev"
  mv "$RUN_DIR/gateway.conf.next" "$RUN_DIR/gateway.conf"
  if ! nginx -p "$RUN_DIR" -e "$RUN_DIR/logs/error.log" -c "$CONF" -t -q; then
    mv "$RUN_DIR/gateway.conf.prev" "$RUN_DIR/gateway.conf"; log "new configuration refused; kept the old one"; exit 1
  fi
  for n in $names; do n="${n#\$\{}"; n="${n%\}}"; printf 'export %s=%q\n' "$n" "${!n}"; done > "$RUN_DIR/gateway.env"
  nginx -p "$RUN_DIR" -e "$RUN_DIR/logs/error.log" -c "$CONF" -s reload
  # the reload is done once the new workers answer with the new configuration
  sleep 0.5
  log "web app at /: ${1:-off} (pid $pid reloaded)"
}

render() {
  ensure_envsubst
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/temp"
  export GATEWAY_PORT="${GATEWAY_PORT:-8080}"
  export GATEWAY_AUTH_UPSTREAM="$(servers AUTH_SERVICE_UPSTREAMS "${AUTH_SERVICE_UPSTREAMS:-}" "${AUTH_SERVICE_URL:-http://127.0.0.1:8081}")"
  export GATEWAY_CATALOG_UPSTREAM="$(servers CATALOG_SERVICE_UPSTREAMS "${CATALOG_SERVICE_UPSTREAMS:-}" "${CATALOG_SERVICE_URL:-http://127.0.0.1:8082}")"
  export GATEWAY_DATASETS_UPSTREAM="$(servers DATASETS_SERVICE_UPSTREAMS "${DATASETS_SERVICE_UPSTREAMS:-}" "${DATASETS_SERVICE_URL:-http://127.0.0.1:8083}")"
  export GATEWAY_JOBS_UPSTREAM="$(servers JOBS_SERVICE_UPSTREAMS "${JOBS_SERVICE_UPSTREAMS:-}" "${JOBS_SERVICE_URL:-http://127.0.0.1:8084}")"
  export GATEWAY_STORAGE_UPSTREAM="$(servers STORAGE_SERVICE_UPSTREAMS "${STORAGE_SERVICE_UPSTREAMS:-}" "${STORAGE_SERVICE_URL:-http://127.0.0.1:8085}")"
  export GATEWAY_FRONTEND_UPSTREAM="$(frontend_server "${FRONTEND_UPSTREAM:-}")"
  export GATEWAY_FRONTEND_ORIGIN="${FRONTEND_ORIGIN:-*}"
  export GATEWAY_ACCESS_LOG="$RUN_DIR/logs/access.log"
  # clients connect directly: no peer's forwarded headers are believed (the template's geo needs one entry)
  export GATEWAY_TRUSTED_PROXIES="${GATEWAY_TRUSTED_PROXIES:-0.0.0.0/32 0;}"
  case "$GATEWAY_TRUSTED_PROXIES" in
    *[!0-9A-Fa-f.:/\ \;]*) log "GATEWAY_TRUSTED_PROXIES must be nginx geo entries like '10.0.0.0/8 1;'"; exit 1 ;;
  esac
  case "$GATEWAY_FRONTEND_ORIGIN" in
    *[\"\'\ \;\{\}\$\\]*) log "FRONTEND_ORIGIN must not contain quotes, spaces, ;, {, }, \$ or \\"; exit 1 ;;
  esac
  # every GATEWAY_* name the template uses must be filled (as the nginx image requires too)
  local names missing=""
  names="$(grep -o '\${GATEWAY_[A-Z_]*}' "$TEMPLATE" | sort -u | tr '\n' ' ')"
  for n in $names; do n="${n#\$\{}"; n="${n%\}}"; [ -n "${!n:-}" ] || missing="$missing $n"; done
  [ -z "$missing" ] || { log "template variables without a value:$missing"; exit 1; }
  envsubst "$names" < "$TEMPLATE" > "$RUN_DIR/gateway.conf"
  echo "$GATEWAY_PORT" > "$RUN_DIR/port"
  # what this rendering used, for set-frontend's re-rendering with one value changed
  for n in $names; do n="${n#\$\{}"; n="${n%\}}"; printf 'export %s=%q\n' "$n" "${!n}"; done > "$RUN_DIR/gateway.env"
  render_console

  # As root, nginx workers drop to an unprivileged user (it owns the temp dirs nginx creates).
  local user_line=""
  if [ "$(id -u)" -eq 0 ]; then
    user_line="user nobody $(id -gn nobody 2>/dev/null || echo nogroup);"
  fi
  cat > "$CONF" <<EOF
# generated by deploy/gateway/gateway.sh from gateway.conf.template; do not edit
$user_line
worker_processes 2;
daemon on;
pid $PID_FILE;
error_log $RUN_DIR/logs/error.log warn;
events { worker_connections 1024; }
http {
    default_type application/octet-stream;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 65s;
    client_body_temp_path $RUN_DIR/temp/client_body;
    proxy_temp_path       $RUN_DIR/temp/proxy;
    fastcgi_temp_path     $RUN_DIR/temp/fastcgi;
    uwsgi_temp_path       $RUN_DIR/temp/uwsgi;
    scgi_temp_path        $RUN_DIR/temp/scgi;
    include $RUN_DIR/gateway.conf;
}
EOF
  ensure_nginx
  nginx -p "$RUN_DIR" -e "$RUN_DIR/logs/error.log" -c "$CONF" -t -q
}

# The web console (console/README.md): <run dir>/console -> the Vite build (CONSOLE_DIST, default
# console/dist; nothing is linked when it is not built, so / stays a JSON 404), and
# <run dir>/console-config/console-config.json with the anon key: SUPABASE_ANON_KEY, or the key
# deploy/scripts/keys.sh mints from SUPABASE_JWT_SECRET.
render_console() {
  local dist="${CONSOLE_DIST:-$REPO/console/dist}" anon="${SUPABASE_ANON_KEY:-}"
  if [ -L "$RUN_DIR/console" ]; then rm -f "$RUN_DIR/console"; fi
  if [ -f "$dist/index.html" ]; then
    ln -s "$(cd "$dist" && pwd)" "$RUN_DIR/console"
  fi
  if [ -z "$anon" ]; then
    anon="$(bash "$REPO/deploy/scripts/keys.sh" | sed -n 's/^SUPABASE_ANON_KEY=//p')"
  fi
  case "$anon" in
    *[!A-Za-z0-9._-]*|"") log "SUPABASE_ANON_KEY is not a JWT: the console gets no anon key"; anon="" ;;
  esac
  local mail="${MAIL_CATCHER_URL:-}"
  case "$mail" in
    http://*|https://*) case "$mail" in *[!A-Za-z0-9._:/-]*) log "MAIL_CATCHER_URL is not a plain URL: not linked"; mail="" ;; esac ;;
    *) mail="" ;;
  esac
  mkdir -p "$RUN_DIR/console-config"
  if [ -n "$anon" ]; then
    printf '{"anonKey":"%s"%s}\n' "$anon" "${mail:+,\"mailUrl\":\"$mail\"}" > "$RUN_DIR/console-config/console-config.json"
  else
    rm -f "$RUN_DIR/console-config/console-config.json"
  fi
}

sync_k8s() {
  cp "$TEMPLATE" "$REPO/deploy/k8s/base/gateway/gateway.conf.template"
  log "copied to deploy/k8s/base/gateway/gateway.conf.template"
}

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

health() {
  local port="${GATEWAY_PORT:-}"
  [ -n "$port" ] || port="$(cat "$RUN_DIR/port" 2>/dev/null || echo 8080)"
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 2 "http://127.0.0.1:$port/gateway/health" 2>/dev/null
  else
    python3 -c "import urllib.request,sys;print(urllib.request.urlopen('http://127.0.0.1:$port/gateway/health',timeout=2).read().decode())" 2>/dev/null
  fi
}

start() {
  if pid="$(running_pid)"; then
    log "already running (pid $pid); restart with: $0 stop && $0 start"
    return 0
  fi
  render
  nginx -p "$RUN_DIR" -e "$RUN_DIR/logs/error.log" -c "$CONF"
  for _ in $(seq 1 50); do
    if health >/dev/null; then
      log "listening on http://127.0.0.1:${GATEWAY_PORT} (pid $(cat "$PID_FILE"), logs in $RUN_DIR/logs)"
      return 0
    fi
    sleep 0.1
  done
  log "nginx did not answer /gateway/health; see $RUN_DIR/logs/error.log"
  tail -n 20 "$RUN_DIR/logs/error.log" >&2 || true
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -QUIT "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { log "stopped (pid $pid)"; rm -f "$PID_FILE"; return 0; }
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  sleep 0.5
  log "stopped (pid $pid, forced)"
  rm -f "$PID_FILE"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "gateway running (pid $pid) on port $(cat "$RUN_DIR/port" 2>/dev/null): $(health || echo 'health check failed')"
  else
    echo "gateway not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  render) render; echo "$CONF" ;;
  sync-k8s) sync_k8s ;;
  set-frontend) ensure_nginx; set_frontend "${2:-off}" ;;
  *) echo "usage: $0 start|stop|restart|status|render|sync-k8s|set-frontend <http://host:port|off>" >&2; exit 2 ;;
esac
