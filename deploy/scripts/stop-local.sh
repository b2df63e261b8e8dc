#!/usr/bin/env bash
# Stops what start-local.sh started (the gateway and the five services). PostgreSQL keeps running.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
if [ -f "$ROOT/deploy/gateway/gateway.sh" ]; then
  bash "$ROOT/deploy/gateway/gateway.sh" stop || true
fi
for entry in $SERVICES; do
  svc="${entry%%:*}"
  pidfile="$RUN_DIR/pids/$svc.pid"
  if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null && log "stopped $svc"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  fi
done
