#!/usr/bin/env bash
# Local mail catcher (SPEC §11): GreenMail standalone (com.icegreen:greenmail-standalone from Maven Central)
# receives every mail the suite sends, for any address, and keeps it for reading over HTTP. Like the
# mail catcher of Supabase's local stack: sign-in links, confirmations and password recovery work locally.
#
#   deploy/scripts/mail-catcher.sh start    fetch the jar when missing, start, wait until ready; prints
#                                           `export SMTP_HOST=… SMTP_PORT=… MAIL_CATCHER_URL=…` on stdout
#                                           (start-local.sh evals it so auth-service sends its mail here)
#   deploy/scripts/mail-catcher.sh stop     stop the catcher started here (by its pid file)
#   deploy/scripts/mail-catcher.sh url      its HTTP address (web page + API)
#   deploy/scripts/mail-catcher.sh status   running or not
#
# Ports (SLMGEN_PORT_BASE, default 8080): SMTP on MAIL_SMTP_PORT (base + 25 = 8105), HTTP on MAIL_HTTP_PORT
# (base + 26 = 8106), both on 127.0.0.1 only. Files: deploy/.run/mail-catcher/ (jar, pid, log).
# HTTP API (GreenMail's, documented on its page at the URL):
#   GET  /api/user/{email}/messages/INBOX   the mails to {email}: [{uid, subject, contentType, mimeMessage}]
#   POST /api/mail/purge                    delete every mail;  GET /api/service/readiness
# Production never uses this: auth-service sends through the SMTP server configured by SMTP_HOST/SMTP_PORT.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

VERSION=2.1.3
DIR="$RUN_DIR/mail-catcher"
JAR="$DIR/greenmail-standalone-$VERSION.jar"
PID_FILE="$DIR/greenmail.pid"
SMTP_PORT_="${MAIL_SMTP_PORT:-$((BASE + 25))}"
HTTP_PORT_="${MAIL_HTTP_PORT:-$((BASE + 26))}"
URL="http://127.0.0.1:$HTTP_PORT_/"

say() { echo "mail-catcher: $*" >&2; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

ready() { curl -fsS --max-time 2 "${URL}api/service/readiness" >/dev/null 2>&1; }

fetch_jar() {
  [ -s "$JAR" ] && return 0
  mkdir -p "$DIR"
  say "fetching com.icegreen:greenmail-standalone:$VERSION from Maven Central"
  # -N: the root project only (no reactor); the local repository keeps it for the next time
  (cd "$ROOT" && ./mvnw -B -q -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="com.icegreen:greenmail-standalone:$VERSION" -DoutputDirectory="$DIR" >&2)
  [ -s "$JAR" ] || { say "could not fetch $JAR"; return 1; }
}

exports() {
  echo "export SMTP_HOST=127.0.0.1 SMTP_PORT=$SMTP_PORT_ MAIL_CATCHER_URL=$URL"
}

start() {
  if running_pid >/dev/null && ready; then
    say "already running on $URL (SMTP 127.0.0.1:$SMTP_PORT_)"
    exports
    return 0
  fi
  fetch_jar
  for p in "$SMTP_PORT_" "$HTTP_PORT_"; do
    if ! python3 -c "import socket; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$p))" 2>/dev/null; then
      say "port $p is in use (MAIL_SMTP_PORT/MAIL_HTTP_PORT choose others)"; return 1
    fi
  done
  # auth disabled: any sender, any recipient, any login; mailboxes appear on first mail
  nohup java -Xmx96m -XX:+UseSerialGC -Dgreenmail.hostname=127.0.0.1 \
    -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_PORT_" -Dgreenmail.auth.disabled \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$HTTP_PORT_" \
    -jar "$JAR" > "$DIR/greenmail.log" 2>&1 &
  echo $! > "$PID_FILE"
  local deadline=$((SECONDS + ${MAIL_START_TIMEOUT:-60}))
  until ready; do
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      say "did not start; see $DIR/greenmail.log"; tail -n 20 "$DIR/greenmail.log" >&2 || true
      stop >/dev/null 2>&1 || true
      return 1
    fi
    sleep 0.5
  done
  say "mail catcher on $URL (SMTP 127.0.0.1:$SMTP_PORT_, pid $(cat "$PID_FILE"))"
  exports
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"; say "not running"; return 0
  fi
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  say "stopped (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  status) if pid="$(running_pid)" && ready; then echo "mail catcher running (pid $pid) on $URL"; else echo "mail catcher not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
