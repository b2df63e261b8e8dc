#!/usr/bin/env bash
# The JWT key policy (SPEC §11), black-box on a built service: catalog-service's jar must refuse to start
# (non-zero exit, a message naming what to set) on every bad key configuration, and start on a good one
# or when SLMGEN_ALLOW_DEMO_SECRET=true allows a local example secret (with a warning).
#   bash deploy/tests/secret-policy-test.sh        (last line: "N passed, M failed")
# Reuses catalog-service/target/quarkus-app when it exists (test-all.sh's `./mvnw verify` built it), else
# builds it once. Every start is bounded (STARTUP_TIMEOUT seconds); the HTTP port is chosen by the OS.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
APP="$REPO/catalog-service/target/quarkus-app/quarkus-run.jar"
TIMEOUT="${STARTUP_TIMEOUT:-60}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ ! -f "$APP" ]; then
  echo "# building catalog-service once: ./mvnw package -DskipTests -pl catalog-service -am"
  (cd "$REPO" && ./mvnw -q -B package -DskipTests -pl catalog-service -am) || { echo "FAIL - build catalog-service"; echo "0 passed, 1 failed"; exit 1; }
fi

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' "$2" | tail -15; }

# The service with only the given variables (no inherited SUPABASE_*/SLMGEN_* from the caller's shell), on
# a database that does not exist: the key policy acts before any database work, and liveness does not need one.
run_service() {
  timeout "$TIMEOUT" env -i PATH="$PATH" HOME="${HOME:-/tmp}" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    DB_NAME=slmgen_secret_policy_absent QUARKUS_HTTP_PORT=0 "$@" \
    "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -jar "$APP"
}

# refuses NAME EXPECTED_TEXT VAR=VALUE...: the service exits non-zero (within the bound) printing EXPECTED_TEXT
refuses() {
  local name="$1" expected="$2"; shift 2
  local out="$WORK/out.log"
  run_service "$@" >"$out" 2>&1
  local rc=$?
  if [ "$rc" -eq 124 ]; then
    fail "$name: still running after ${TIMEOUT}s (expected a refusal)" "$out"
  elif [ "$rc" -eq 0 ]; then
    fail "$name: exited 0 (expected a non-zero exit)" "$out"
  elif ! grep -qF -- "$expected" "$out"; then
    fail "$name: exit $rc without the message \"$expected\"" "$out"
  elif grep -q "Listening on" "$out"; then
    fail "$name: served HTTP before refusing" "$out"
  else
    ok "$name: exit $rc, \"$expected\""
  fi
}

# starts NAME WARNING VAR=VALUE...: the service becomes live; it logs the INSECURE warning WARNING iff not empty
starts() {
  local name="$1" warn="$2"; shift 2
  local out="$WORK/out.log" pid port="" i
  run_service "$@" >"$out" 2>&1 &
  pid=$!
  for ((i = 0; i < TIMEOUT * 4; i++)); do
    port="$(sed -n 's/.*Listening on: http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$out" | head -1)"
    [ -n "$port" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.25
  done
  local live=""
  [ -n "$port" ] && live="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/q/health/live")"
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if [ -z "$port" ]; then
    fail "$name: did not start within ${TIMEOUT}s" "$out"
  elif [ "$live" != "200" ]; then
    fail "$name: /q/health/live answered $live" "$out"
  elif [ -n "$warn" ] && ! grep -qF -- "INSECURE: $warn" "$out"; then
    fail "$name: started without the warning \"INSECURE: $warn\"" "$out"
  elif [ -z "$warn" ] && grep -q "INSECURE" "$out"; then
    fail "$name: warned although the keys are good" "$out"
  else
    ok "$name: live on :$port${warn:+, warning \"INSECURE: $warn\"}"
  fi
}

CLI_DEMO="super-secret-jwt-token-with-at-least-32-characters-long"
GOOD="secret-policy-test-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

refuses "no secret and no JWKS URL" "neither SUPABASE_JWT_SECRET nor SUPABASE_JWKS_URL is set"
refuses "secret shorter than 32 bytes" "SUPABASE_JWT_SECRET is shorter than 32 bytes" SUPABASE_JWT_SECRET=0123456789abcdef0123456789abcde
refuses "the Supabase CLI's example secret" "SUPABASE_JWT_SECRET is Supabase's public example secret" SUPABASE_JWT_SECRET="$CLI_DEMO"
refuses "the self-hosting example secret" "SUPABASE_JWT_SECRET is Supabase's public example secret" \
  SUPABASE_JWT_SECRET="your-super-secret-jwt-token-with-at-least-32-characters-long"
refuses "the example secret with SLMGEN_ALLOW_DEMO_SECRET=false" "public example secret" \
  SUPABASE_JWT_SECRET="$CLI_DEMO" SLMGEN_ALLOW_DEMO_SECRET=false
refuses "JWKS only, in a service that signs with the secret" "SUPABASE_JWT_SECRET is not set, and this service signs" \
  SUPABASE_JWKS_URL=http://127.0.0.1:9/jwks.json SLMGEN_JWT_SECRET_REQUIRED_FOR="signed URLs"
refuses "SUPABASE_SERVICE_KEY that is not a service_role JWT" "SUPABASE_SERVICE_KEY is not a JWT" \
  SUPABASE_JWT_SECRET="$GOOD" SUPABASE_SERVICE_KEY=sb_secret_0123456789abcdef

starts "a real secret" "" SUPABASE_JWT_SECRET="$GOOD"
starts "JWKS URL only (a service that only verifies)" "" SUPABASE_JWKS_URL=http://127.0.0.1:9/jwks.json
starts "the example secret with SLMGEN_ALLOW_DEMO_SECRET=true" "SUPABASE_JWT_SECRET is Supabase's public example secret" \
  SUPABASE_JWT_SECRET="$CLI_DEMO" SLMGEN_ALLOW_DEMO_SECRET=true
starts "a short secret with SLMGEN_ALLOW_DEMO_SECRET=true" "SUPABASE_JWT_SECRET is shorter than 32 bytes" \
  SUPABASE_JWT_SECRET=local-short-secret SLMGEN_ALLOW_DEMO_SECRET=true
starts "no keys with SLMGEN_ALLOW_DEMO_SECRET=true (local suite)" "SUPABASE_JWT_SECRET is not set: using Supabase's public example secret" \
  SLMGEN_ALLOW_DEMO_SECRET=true

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
