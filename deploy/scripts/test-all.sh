#!/usr/bin/env bash
# Runs every test: unit and integration tests of all modules against the local PostgreSQL
# (./mvnw verify), the deployment checks in deploy/tests/ (incl. Kubernetes renders, the connection budget
# and the pgbouncer test), then the end-to-end suite in e2e/ (official @supabase/supabase-js) against the
# started suite behind the real nginx gateway: once with one instance of each service (plus the fault
# tests), once with two (SLMGEN_REPLICAS=2: the same e2e suite, the cross-replica event test and the
# replica fault test).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
eval "$(bash "$ROOT/deploy/scripts/ensure-postgres.sh")"
cd "$ROOT"

# one module per core at a time (-T 1C): the five services only share the libraries built before them, and
# their tests wait on HTTP and PostgreSQL more than they compute (each has its own test databases and ports)
log "unit and integration tests: ./mvnw -B -T 1C verify"
./mvnw -B -T 1C verify

# native images cannot be compiled here (no GraalVM/Mandrel, no Docker): run every Quarkus native
# build step and keep target/native-sources/ so a regression in native-readiness fails CI
log "native readiness: ./mvnw package -Pnative -Dquarkus.native.sources-only=true"
./mvnw -B -q -T 1C package -Pnative -Dquarkus.native.sources-only=true -DskipTests
# what a real native compile needs beyond the build steps (shared-jwt's defaults): the crypto provider
# starts a thread, so it and NativeSignatures are initialised at run time - in every service (a service's own
# quarkus.native.additional-build-args would replace shared-jwt's)
for svc in auth-service catalog-service datasets-service jobs-service storage-service; do
  grep -q -- '--initialize-at-run-time=com.amazon.corretto.crypto.provider' "$svc/target/native-sources/native-image.args" \
    || { echo "$svc: native-image.args lacks the run-time initialisation of the crypto provider" >&2; exit 1; }
done

for t in deploy/tests/*-test.sh; do
  [ -f "$t" ] || continue
  log "deployment check: $t"
  bash "$t"
done

if [ -f e2e/package.json ] && [ "${SKIP_E2E:-0}" != "1" ]; then
  log "end-to-end: starting the suite"
  # a JWT secret of the run's own (never Supabase's public demo secret): proves the suite, the e2e clients
  # and the scripts need no demo value (SPEC §11); everything below reads SUPABASE_JWT_SECRET
  export SUPABASE_JWT_SECRET="${SUPABASE_JWT_SECRET:-$(openssl rand -hex 32)}"
  # every test client signs up from 127.0.0.1 through the gateway: exempt that one address from the per-IP
  # limits (per-account and per-code limits still apply); e2e/tests/security-auth.test.js sends from other
  # loopback addresses (127.x.y.z) and so meets the real per-IP limits
  export AUTH_RATE_LIMIT_EXEMPT_ADDRESSES="${AUTH_RATE_LIMIT_EXEMPT_ADDRESSES:-127.0.0.1/32}"
  # no internet in CI: catalog-service validates custom models against a local stand-in for the Hugging
  # Face Hub (e2e/hub/fake_hub.py); e2e/tests/custom-model.test.js reads FAKE_HUB_URL
  hub_port=$((GATEWAY_PORT + 40)); mkdir -p "$RUN_DIR"
  python3 e2e/hub/fake_hub.py "$hub_port" "$RUN_DIR/fake-hub.pid" &
  export HF_ENDPOINT="http://127.0.0.1:$hub_port" FAKE_HUB_URL="http://127.0.0.1:$hub_port"
  trap 'bash "$ROOT/deploy/scripts/stop-local.sh" >/dev/null 2>&1 || true; kill "$(cat "$RUN_DIR/fake-hub.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
  (
    # the fault run kills jobs-service mid-creation: let its compensation sweep act within seconds
    export JOBS_CREATION_TIMEOUT="${JOBS_CREATION_TIMEOUT:-5s}" JOBS_CREATION_SWEEP_INTERVAL="${JOBS_CREATION_SWEEP_INTERVAL:-1s}"
    # and datasets-service between storing an upload and recording its row (no e2e upload takes 30 s)
    export DATASETS_CREATION_TIMEOUT="${DATASETS_CREATION_TIMEOUT:-30s}" DATASETS_CREATION_SWEEP_INTERVAL="${DATASETS_CREATION_SWEEP_INTERVAL:-1s}"
    # and storage-service mid-upload: its start-up sweep may treat staged files as stale at once
    export STORAGE_STALE_TEMP_AGE="${STORAGE_STALE_TEMP_AGE:-1s}"
    SLMGEN_REPLICAS=1 SKIP_BUILD=1 bash deploy/scripts/start-local.sh
    # the local mail catcher start-local.sh started: e2e reads sign-in and recovery mails from it
    if bash deploy/scripts/mail-catcher.sh status >/dev/null 2>&1; then export MAIL_CATCHER_URL="$(bash deploy/scripts/mail-catcher.sh url)"; fi
    (cd e2e && npm ci --no-audit --no-fund --silent && GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" npm test)
    # the same official client against single services, without the gateway (SPEC §1: each service
    # serves its public paths itself)
    log "auth-service and storage-service alone with supabase-js"
    (cd auth-service/e2e && npm ci --no-audit --no-fund --silent && AUTH_URL="$AUTH_SERVICE_URL" npm test)
    (cd storage-service/e2e && npm ci --no-audit --no-fund --silent && STORAGE_URL="$STORAGE_SERVICE_URL" npm test)
    log "storage-service in S3 mode (S3Proxy) with supabase-js"
    bash storage-service/e2e/s3-mode.sh
    if [ -f console/package.json ]; then
      log "web console in a real browser (Playwright + Debian chromium)"
      command -v chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }
      (cd console && GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" npm test)
    fi
    if [ -f e2e/browser/package.json ]; then
      # a web app served by the gateway (FRONTEND_UPSTREAM) using /slmgen with @supabase/ssr cookies, in chromium
      log "web app on the gateway's origin with cookie sessions, in a real browser (e2e/browser)"
      command -v chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }
      (cd e2e/browser && npm ci --no-audit --no-fund --silent && GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" npm test)
    fi
    log "bad-input corpus against every route (SPEC §14)"
    (cd e2e/corpus && GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" npm test)
    # last: it restarts PostgreSQL and kills services (and restarts them)
    log "fault injection (SPEC §14)"
    GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" SUITE_ROOT="$ROOT" bash e2e/fault/run.sh all
  )
  bash deploy/scripts/stop-local.sh >/dev/null

  # ---- replica mode (SPEC §11, §14): two instances of every service behind the gateway, the same e2e
  # suite plus the cross-replica event test, then one replica of each service killed under load
  log "replica mode: SLMGEN_REPLICAS=2 (second instances on port + 10)"
  (
    # creations in flight on a live replica must not be taken for abandoned ones by the other's sweeper
    export JOBS_CREATION_TIMEOUT="${REPLICA_JOBS_CREATION_TIMEOUT:-20s}" JOBS_CREATION_SWEEP_INTERVAL=2s
    # uploads cut between storage and their row by a kill are undone by the surviving replica's sweep
    export DATASETS_CREATION_TIMEOUT="${REPLICA_DATASETS_CREATION_TIMEOUT:-30s}" DATASETS_CREATION_SWEEP_INTERVAL=2s
    unset STORAGE_STALE_TEMP_AGE   # both storage replicas share STORAGE_ROOT: keep the default age
    # exported, not only for start-local.sh: lib.sh (sourced here and by the fault run) reads it, and the
    # single-suite run above left SLMGEN_REPLICAS=1 in this shell's environment
    export SLMGEN_REPLICAS=2
    SKIP_BUILD=1 bash deploy/scripts/start-local.sh
    if bash deploy/scripts/mail-catcher.sh status >/dev/null 2>&1; then export MAIL_CATCHER_URL="$(bash deploy/scripts/mail-catcher.sh url)"; fi
    source deploy/scripts/lib.sh
    jobs_replicas="$(for e in $INSTANCES; do case "$e" in jobs-service*) printf 'http://127.0.0.1:%s ' "${e##*:}" ;; esac; done)"
    # the cross-replica tests skip themselves without two replicas: here that would be a silent pass
    [ "$(wc -w <<<"$jobs_replicas")" = 2 ] || { echo "replica mode started $(wc -w <<<"$jobs_replicas") jobs-service instance(s), not 2" >&2; exit 1; }
    (cd e2e && GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" JOBS_REPLICA_URLS="$jobs_replicas" npm test)
    log "replica fault injection: one replica of each service SIGKILLed under load (SPEC §14)"
    GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" SUITE_ROOT="$ROOT" bash e2e/fault/run.sh replicas
  )
fi
log "all tests passed"
