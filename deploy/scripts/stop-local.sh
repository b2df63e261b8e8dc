#!/usr/bin/env bash
# Stops what start-local.sh started (the gateway, the balancer and every service instance, replicas
# included). PostgreSQL keeps running.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
if [ -f "$ROOT/deploy/gateway/gateway.sh" ]; then
  bash "$ROOT/deploy/gateway/gateway.sh" stop || true
fi
bash "$ROOT/deploy/scripts/balancer.sh" stop || true
if [ -f "$ROOT/deploy/scripts/mail-catcher.sh" ]; then bash "$ROOT/deploy/scripts/mail-catcher.sh" stop 2>/dev/null || true; fi
# every instance that has a pid file, whatever SLMGEN_REPLICAS says now
for svc in $SERVICE_NAMES; do
  for name in "$svc" "$svc-2"; do
    pidfile="$RUN_DIR/pids/$name.pid"
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null && log "stopped $name"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
done
rm -f "$RUN_DIR/replicas"
