#!/usr/bin/env bash
# Gateway test: the real nginx (deploy/gateway/gateway.sh) in front of five fake upstreams.
#   bash deploy/tests/gateway-test.sh
# Ports: fakes 19081-19085, gateway 19080 (FRONTEND_ORIGIN="*"), second gateway 19086 with a fixed
# origin list. Checks every route of deploy/tests/routes.tsv reaches the right service with the path
# unrewritten, CORS (preflight + simple), JSON 404s, request ids, streamed uploads, unbuffered SSE,
# JSON 413s and 502s, and that upstream error bodies pass through. Last line: "N passed, M failed".
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
GW="$REPO/deploy/gateway/gateway.sh"
WORK="$REPO/deploy/.run/gateway-test"
GW_PORT=19080
GW2_PORT=19086
BASE="http://127.0.0.1:$GW_PORT"
BASE2="http://127.0.0.1:$GW2_PORT"
declare -A PORT=([auth]=19081 [catalog]=19082 [datasets]=19083 [jobs]=19084 [storage]=19085)

PASS=0; FAIL=0
ok()   { PASS=$((PASS+1)); echo "ok   - $1"; }
bad()  { FAIL=$((FAIL+1)); echo "FAIL - $1${2:+ ($2)}"; }
check() { # check "name" test-args...
  local name="$1"; shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}

command -v curl >/dev/null 2>&1 || { apt-get install -y -qq curl >/dev/null 2>&1; }
command -v curl >/dev/null 2>&1 || { echo "curl is required"; echo "0 passed, 1 failed"; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK"
LOG="$WORK/upstream.log"; : > "$LOG"

for p in $GW_PORT $GW2_PORT "${PORT[@]}"; do
  if ! python3 -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$p))" 2>/dev/null; then
    echo "port $p is in use: cannot run the gateway test"; echo "0 passed, 1 failed"; exit 1
  fi
done

FAKE_PID=""
cleanup() {
  GATEWAY_RUN_DIR="$WORK/gw" "$GW" stop >/dev/null 2>&1 || true
  GATEWAY_RUN_DIR="$WORK/gw2" "$GW" stop >/dev/null 2>&1 || true
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null || true
}
trap cleanup EXIT

python3 "$HERE/fake_upstream.py" "$LOG" auth=${PORT[auth]} catalog=${PORT[catalog]} datasets=${PORT[datasets]} \
  jobs=${PORT[jobs]} storage=${PORT[storage]} > "$WORK/fake.out" 2>&1 &
FAKE_PID=$!
for _ in $(seq 1 50); do grep -q ready "$WORK/fake.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$WORK/fake.out" || { cat "$WORK/fake.out"; bad "fake upstreams start"; finish; exit 1; }

# the first gateway serves a stand-in console build, the second has none (CONSOLE_DIST missing)
mkdir -p "$WORK/console-dist/console-assets"
echo '<!doctype html><title>console stand-in</title>' > "$WORK/console-dist/index.html"
echo 'console.log("stand-in")' > "$WORK/console-dist/console-assets/app-1.js"
start_gw() { # dir port origin [console dist]
  env GATEWAY_RUN_DIR="$1" GATEWAY_PORT="$2" FRONTEND_ORIGIN="$3" CONSOLE_DIST="${4:-$WORK/no-console}" \
    AUTH_SERVICE_URL="http://127.0.0.1:${PORT[auth]}" CATALOG_SERVICE_URL="http://127.0.0.1:${PORT[catalog]}" \
    DATASETS_SERVICE_URL="http://127.0.0.1:${PORT[datasets]}/" JOBS_SERVICE_URL="http://127.0.0.1:${PORT[jobs]}" \
    STORAGE_SERVICE_URL="http://127.0.0.1:${PORT[storage]}" "$GW" start
}
if start_gw "$WORK/gw" $GW_PORT '*' "$WORK/console-dist" > "$WORK/gw-start.out" 2>&1; then ok "gateway.sh start (nginx -t passed, health answered)"
else cat "$WORK/gw-start.out"; bad "gateway.sh start"; finish; exit 1; fi
if start_gw "$WORK/gw2" $GW2_PORT 'https://app.example.com,http://localhost:3000' > "$WORK/gw2-start.out" 2>&1; then
  ok "second gateway with a fixed origin list starts"
else cat "$WORK/gw2-start.out"; bad "second gateway start"; fi

check "gateway.sh status reports running" bash -c "GATEWAY_RUN_DIR='$WORK/gw' '$GW' status | grep -q 'gateway running'"

# ---- helpers -----------------------------------------------------------------------------------
# req METHOD URL [curl args...]: sets STATUS, body in $WORK/body, headers in $WORK/headers
req() {
  local method="$1" url="$2"; shift 2
  STATUS=$(curl -s -g --path-as-is -X "$method" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' \
    --max-time 20 "$@" "$url") || true
}
hdr() { # hdr Name -> value of the (first) header, trimmed; "" if absent
  grep -i "^$1:" "$WORK/headers" | head -n1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//; s/ *$//'
}
hdr_count() { grep -ci "^$1:" "$WORK/headers"; }
json() { # json 'expr over d' -> prints result; d is the parsed body
  python3 -c "import json,sys; d=json.load(open('$WORK/body')); print($1)" 2>/dev/null
}
last_upstream() { tail -n1 "$LOG"; }
lines_in_log() { wc -l < "$LOG" | tr -d ' '; }

# ---- every route to the right service, unrewritten ---------------------------------------------
while IFS=$'\t' read -r method path svc; do
  case "$method" in ''|'#'*) continue ;; esac
  before=$(lines_in_log)
  req "$method" "$BASE$path" -H 'Content-Type: application/json' $( [ "$method" = GET ] || [ "$method" = DELETE ] || echo "--data-binary {}" )
  after=$(lines_in_log)
  got="$(last_upstream)"
  if [ "$STATUS" = 200 ] && [ "$after" = $((before+1)) ] && [ "$got" = "$svc $method $path" ]; then
    ok "route $method $path -> $svc"
  else
    bad "route $method $path -> $svc" "status $STATUS, upstream saw: '$got'"
  fi
done < "$HERE/routes.tsv"

# ---- paths that must NOT reach a service --------------------------------------------------------
not_routed() { # method path expected-status json-check description
  local before; before=$(lines_in_log)
  req "$1" "$BASE$2"
  local ct; ct="$(hdr Content-Type)"
  if [ "$STATUS" = "$3" ] && [ "$(lines_in_log)" = "$before" ] && [[ "$ct" == application/json* ]] && [ "$(json "$4")" = True ]; then
    ok "$5"
  else
    bad "$5" "status $STATUS, content-type '$ct', body $(head -c 300 "$WORK/body")"
  fi
}
not_routed GET "/rest/v1/unknown_table?select=*" 404 \
  "d['code']=='PGRST205' and d['message']==\"Could not find the table 'public.unknown_table' in the schema cache\" and d['details'] is None and d['hint'] is None" \
  "unknown /rest/v1 table -> 404 PGRST205"
not_routed GET "/rest/v1/profiles_archive" 404 "d['code']=='PGRST205'" "/rest/v1/profiles_archive is not /rest/v1/profiles"
not_routed POST "/rest/v1/jobsx" 404 "d['code']=='PGRST205'" "/rest/v1/jobsx is not /rest/v1/jobs"
not_routed GET "/rest/v1/" 404 "d['code']=='PGRST205'" "/rest/v1/ root -> PGRST205"
not_routed GET "/nope" 404 "d=={'error':'not_found','message':'No route for this path','status':404}" "unknown path -> JSON 404"
BASE="$BASE2" not_routed GET "/" 404 "d['status']==404" "/ -> JSON 404 when the console is not built"
not_routed GET "/api/profiles" 404 "d['status']==404" "/api/profiles is not /api/profile"
not_routed GET "/api/modelsx" 404 "d['status']==404" "/api/modelsx is not /api/models"
not_routed GET "/api/unknown" 404 "d['status']==404" "unknown /api path -> JSON 404"
not_routed GET "/slmgen/personality" 404 "d=={'detail':'Not Found'}" "unknown /slmgen path -> FastAPI 404 {detail}"
not_routed GET "/slmgen/health" 200 "d=={'status':'healthy'}" "/slmgen/health answered by the gateway"
not_routed GET "/gateway/health" 200 "d['status']=='ok'" "/gateway/health"

# ---- the web console (static files from CONSOLE_DIST, anon key from keys.sh) ----------------------
before=$(lines_in_log)
req GET "$BASE/"
check "/ serves the console's index.html as text/html" bash -c "[ '$STATUS' = 200 ] && [[ '$(hdr Content-Type)' == text/html* ]] && grep -q 'console stand-in' '$WORK/body'"
req GET "$BASE/console-assets/app-1.js"
check "/console-assets/* served as JavaScript" bash -c "[ '$STATUS' = 200 ] && [[ '$(hdr Content-Type)' == text/javascript* ]]"
check "console files never reach a service" test "$(lines_in_log)" = "$before"
not_routed GET "/console-assets/missing.js" 404 "d['status']==404" "missing console asset -> JSON 404"
req GET "$BASE/console-config.json"
check "/console-config.json holds the anon key minted by keys.sh" test "$STATUS:$(json "d['anonKey']")" = \
  "200:$(bash "$REPO/deploy/scripts/keys.sh" | sed -n 's/^SUPABASE_ANON_KEY=//p')"

# ---- upstream errors pass through untouched -----------------------------------------------------
req GET "$BASE/api/models/missing?fake_status=404"
check "upstream 404 body passes through untouched" test "$STATUS:$(json "d.get('from')")" = "404:upstream"
req POST "$BASE/auth/v1/token?grant_type=refresh_token&fake_status=400" --data-binary '{}'
check "upstream 400 body passes through untouched" test "$STATUS:$(json "d.get('from')")" = "400:upstream"
req GET "$BASE/rest/v1/jobs?fake_status=503"
check "upstream 503 body passes through untouched" test "$STATUS:$(json "d.get('from')")" = "503:upstream"

# ---- CORS ---------------------------------------------------------------------------------------
SB_HEADERS="apikey, authorization, x-client-info, x-upsert, content-profile, accept-profile, prefer, range, x-supabase-api-version, content-type, cache-control"
before=$(lines_in_log)
req OPTIONS "$BASE/rest/v1/jobs?select=*" -H 'Origin: http://localhost:3000' \
  -H 'Access-Control-Request-Method: PATCH' -H "Access-Control-Request-Headers: $SB_HEADERS"
check "preflight -> 204" test "$STATUS" = 204
check "preflight is answered by the gateway, not forwarded" test "$(lines_in_log)" = "$before"
check "preflight reflects the origin (FRONTEND_ORIGIN=*)" test "$(hdr Access-Control-Allow-Origin)" = "http://localhost:3000"
allowed="$(hdr Access-Control-Allow-Headers | tr 'A-Z' 'a-z')"
missing=""
for h in ${SB_HEADERS//,/}; do [[ ", $allowed," == *", $h,"* ]] || missing="$missing $h"; done
if [ -z "$missing" ]; then ok "preflight allows every header supabase-js sends"; else bad "preflight allows every header supabase-js sends" "missing:$missing"; fi
methods="$(hdr Access-Control-Allow-Methods)"
missing=""
for m in GET POST PUT PATCH DELETE HEAD; do [[ ", $methods," == *", $m,"* ]] || missing="$missing $m"; done
if [ -z "$missing" ]; then ok "preflight allows GET POST PUT PATCH DELETE HEAD"; else bad "preflight methods" "missing:$missing"; fi
check "preflight has Access-Control-Max-Age" test -n "$(hdr Access-Control-Max-Age)"

req OPTIONS "$BASE/storage/v1/object/avatars/u1/a.png" -H 'Origin: https://anything.example' -H 'Access-Control-Request-Method: POST'
check "preflight on /storage/v1 -> 204 with origin" test "$STATUS:$(hdr Access-Control-Allow-Origin)" = "204:https://anything.example"

req GET "$BASE/api/models" -H 'Origin: http://localhost:5173'
check "simple request: origin reflected once (upstream's own CORS header hidden)" \
  test "$(hdr Access-Control-Allow-Origin):$(hdr_count Access-Control-Allow-Origin)" = "http://localhost:5173:1"
expose="$(hdr Access-Control-Expose-Headers)"
missing=""
for h in Content-Range Content-Length ETag Location X-Request-Id; do [[ ", $expose," == *", $h,"* ]] || missing="$missing $h"; done
if [ -z "$missing" ]; then ok "exposes Content-Range, Content-Length, ETag, Location, X-Request-Id"; else bad "expose headers" "missing:$missing"; fi
check "no preflight headers on a simple request" test -z "$(hdr Access-Control-Allow-Methods)"
check "Vary: Origin" bash -c "grep -qi '^Vary: Origin' '$WORK/headers'"

req GET "$BASE/nope" -H 'Origin: http://localhost:3000'
check "CORS headers on the gateway's own 404" test "$(hdr Access-Control-Allow-Origin)" = "http://localhost:3000"

# fixed origin list
req OPTIONS "$BASE2/rest/v1/jobs" -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: POST'
check "origin list: first listed origin allowed" test "$STATUS:$(hdr Access-Control-Allow-Origin)" = "204:https://app.example.com"
req GET "$BASE2/api/jobs" -H 'Origin: http://localhost:3000'
check "origin list: second listed origin allowed" test "$(hdr Access-Control-Allow-Origin)" = "http://localhost:3000"
req OPTIONS "$BASE2/rest/v1/jobs" -H 'Origin: https://evil.example' -H 'Access-Control-Request-Method: POST'
check "origin list: other origin gets no Access-Control-Allow-Origin" test -z "$(hdr Access-Control-Allow-Origin)"
req GET "$BASE2/api/jobs" -H 'Origin: https://app.example.com.evil.example'
check "origin list: suffix trick not allowed" test -z "$(hdr Access-Control-Allow-Origin)"
req GET "$BASE2/api/jobs" -H 'Origin: http://localhost:300'
check "origin list: prefix of a listed origin not allowed" test -z "$(hdr Access-Control-Allow-Origin)"

# ---- request ids --------------------------------------------------------------------------------
req GET "$BASE/api/jobs"
rid="$(hdr X-Request-Id)"
check "X-Request-Id generated when absent (32 hex)" bash -c "[[ '$rid' =~ ^[0-9a-f]{32}$ ]]"
check "generated id passed upstream" test "$(json "d['request_id']")" = "$rid"
check "upstream's own X-Request-Id hidden (one header)" test "$(hdr_count X-Request-Id)" = 1
req GET "$BASE/api/jobs" -H 'X-Request-Id: client-abc_123.4'
check "incoming X-Request-Id kept and returned" test "$(hdr X-Request-Id)" = "client-abc_123.4"
check "incoming X-Request-Id passed upstream" test "$(json "d['request_id']")" = "client-abc_123.4"
req GET "$BASE/api/jobs" -H 'X-Request-Id: bad id with spaces and {braces}'
rid="$(hdr X-Request-Id)"
check "malformed X-Request-Id replaced by a generated one" bash -c "[[ '$rid' =~ ^[0-9a-f]{32}$ ]] && [ \"\$(python3 -c \"import json;print(json.load(open('$WORK/body'))['request_id'])\")\" = '$rid' ]"
req GET "$BASE/rest/v1/nothing_here"
check "X-Request-Id on the gateway's own 404" bash -c "[[ '$(hdr X-Request-Id)' =~ ^[0-9a-f]{32}$ ]]"

# ---- uploads: streamed, limits ------------------------------------------------------------------
head -c $((20*1024*1024)) /dev/zero > "$WORK/20m.bin"
req POST "$BASE/storage/v1/object/datasets/u1/big.bin" -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "20 MB upload to /storage/v1 accepted and fully delivered" test "$STATUS:$(json "d['body_len']")" = "200:20971520"
req POST "$BASE/storage/v1/object/datasets/u1/chunked.bin" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "chunked upload to /storage/v1 streamed (not buffered: still chunked upstream)" \
  test "$STATUS:$(json "d['transfer_encoding']"):$(json "d['body_len']")" = "200:chunked:20971520"
req POST "$BASE/slmgen/upload" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "chunked upload to /slmgen/upload streamed" test "$STATUS:$(json "d['service']"):$(json "d['transfer_encoding']")" = "200:datasets:chunked"
req POST "$BASE/api/datasets" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "chunked upload to /api/datasets streamed" test "$STATUS:$(json "d['service']"):$(json "d['transfer_encoding']")" = "200:datasets:chunked"

head -c $((11*1024*1024)) /dev/zero > "$WORK/11m.bin"
before=$(lines_in_log)
req POST "$BASE/rest/v1/jobs" -H 'Content-Type: application/json' --data-binary "@$WORK/11m.bin"
check "11 MB body to /rest/v1/jobs -> 413" test "$STATUS" = 413
check "413 on /rest/v1 is PostgREST-shaped JSON" test "$(json "d['code']=='PGRST413' and 'message' in d")" = True
check "oversized body never reached the service" test "$(lines_in_log)" = "$before"
req POST "$BASE/api/jobs" -H 'Transfer-Encoding: chunked' --data-binary "@$WORK/11m.bin"
check "11 MB chunked body to /api/jobs -> 413 JSON" test "$STATUS:$(json "d['status']")" = "413:413"
req POST "$BASE/slmgen/analyze" --data-binary "@$WORK/11m.bin"
check "11 MB body to /slmgen/analyze -> 413 {detail}" test "$STATUS:$(json "'detail' in d")" = "413:True"

# 1200 MB declared: rejected from the header alone (python sends only the header)
big413() { # path -> "status body"
  python3 - "$1" <<'EOF'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", 19080, timeout=10)
c.putrequest("POST", sys.argv[1])
c.putheader("Content-Type", "application/octet-stream")
c.putheader("Content-Length", str(1200 * 1024 * 1024))
c.endheaders()
r = c.getresponse()
print(r.status, r.getheader("Content-Type"), r.read().decode())
EOF
}
out="$(big413 /storage/v1/object/datasets/u1/huge.bin)"
check "1200 MB to /storage/v1 -> 413 storage-shaped JSON" \
  test "$out" = '413 application/json {"statusCode":"413","error":"Payload too large","message":"The object exceeded the maximum allowed size"}'
out="$(big413 /slmgen/upload)"
check "1200 MB to /slmgen/upload -> 413 {detail}" test "$out" = '413 application/json {"detail":"Request body too large"}'
out="$(big413 /api/datasets)"
check "1200 MB to /api/datasets -> 413 JSON" test "${out%% *}" = 413

# ---- server-sent events are not buffered --------------------------------------------------------
sse_first() { # path -> what arrives within 1.5 s (the fake holds the stream open for 2 s)
  curl -s -N --max-time 1.5 "$BASE$1" 2>/dev/null || true
}
out="$(sse_first /api/jobs/42/events)"
check "/api/jobs/{id}/events streams the first event immediately" test "$out" = "data: first"
out="$(sse_first /slmgen/training/sess-1/stream)"
check "/slmgen/training/{id}/stream streams the first event immediately" test "$out" = "data: first"
out="$(curl -s -N --max-time 5 "$BASE/api/jobs/42/events")"
check "SSE stream completes with the second event" bash -c "grep -q 'event: complete' <<< '$out'"

# ---- upstream down -> JSON 502 ------------------------------------------------------------------
kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=""
req GET "$BASE/api/models" -H 'Origin: http://localhost:3000'
check "service down -> 502 JSON" test "$STATUS:$(json "d['status']")" = "502:502"
check "502 carries CORS and X-Request-Id" bash -c "[ -n '$(hdr Access-Control-Allow-Origin)' ] && [ -n '$(hdr X-Request-Id)' ]"
req GET "$BASE/slmgen/jobs"
check "service down on /slmgen -> 502 {detail}" test "$STATUS:$(json "'detail' in d")" = "502:True"

# ---- stop ---------------------------------------------------------------------------------------
GATEWAY_RUN_DIR="$WORK/gw" "$GW" stop >/dev/null 2>&1
check "gateway.sh stop stops nginx" bash -c "! curl -s --max-time 1 '$BASE/gateway/health' >/dev/null"
check "gateway.sh status reports stopped" bash -c "! GATEWAY_RUN_DIR='$WORK/gw' '$GW' status >/dev/null"

rm -f "$WORK/20m.bin" "$WORK/11m.bin"
finish
