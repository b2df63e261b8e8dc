#!/usr/bin/env bash
# Gateway test: the real nginx (deploy/gateway/gateway.sh) in front of five fake upstreams.
#   bash deploy/tests/gateway-test.sh
# Ports: fakes 19081-19085, gateway 19080 (FRONTEND_ORIGIN="*"), second gateway 19086 with a fixed
# origin list, third gateway 19087 with a web app (fake on 19088) and replicas (second fakes 19091-19095,
# 19096, nothing on 19099). Checks every route of deploy/tests/routes.tsv reaches the right service with the path
# unrewritten, CORS (preflight + simple), JSON 404s, request ids, streamed uploads, unbuffered SSE,
# JSON 413s and 502s, upstream error bodies passing through, the apikey rule of Supabase's gateway,
# nosniff + CSP on storage, the console at /console/, the web app at / (FRONTEND_UPSTREAM), balancing
# over replicas with retries only where safe, and that the Kubernetes copy of the template is identical
# and every deployment defines its variables. Last line: "N passed, M failed".
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
GW="$REPO/deploy/gateway/gateway.sh"
WORK="$REPO/deploy/.run/gateway-test"
GW_PORT=19080
GW2_PORT=19086
GW3_PORT=19087
BASE="http://127.0.0.1:$GW_PORT"
BASE2="http://127.0.0.1:$GW2_PORT"
BASE3="http://127.0.0.1:$GW3_PORT"
declare -A PORT=([auth]=19081 [catalog]=19082 [datasets]=19083 [jobs]=19084 [storage]=19085 [frontend]=19088
                 [auth-b]=19091 [datasets-b]=19093 [jobs-b]=19094 [storage-b]=19095 [storage-c]=19096)
DEAD_PORT=19099  # nothing listens here: a replica that is down
# what supabase-js sends on every Supabase route (SPEC §12); its value is the services' business
KEY=(-H 'apikey: test-anon-key')

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

for p in $GW_PORT $GW2_PORT $GW3_PORT $DEAD_PORT "${PORT[@]}"; do
  if ! python3 -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$p))" 2>/dev/null; then
    echo "port $p is in use: cannot run the gateway test"; echo "0 passed, 1 failed"; exit 1
  fi
done

FAKE_PID=""
cleanup() {
  GATEWAY_RUN_DIR="$WORK/gw" "$GW" stop >/dev/null 2>&1 || true
  GATEWAY_RUN_DIR="$WORK/gw2" "$GW" stop >/dev/null 2>&1 || true
  GATEWAY_RUN_DIR="$WORK/gw3" "$GW" stop >/dev/null 2>&1 || true
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null || true
}
trap cleanup EXIT

python3 "$HERE/fake_upstream.py" "$LOG" $(for n in "${!PORT[@]}"; do printf '%s=%s ' "$n" "${PORT[$n]}"; done) > "$WORK/fake.out" 2>&1 &
FAKE_PID=$!
for _ in $(seq 1 50); do grep -q ready "$WORK/fake.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$WORK/fake.out" || { cat "$WORK/fake.out"; bad "fake upstreams start"; finish; exit 1; }

# the first gateway serves a stand-in console build, the second has none (CONSOLE_DIST missing)
mkdir -p "$WORK/console-dist/console-assets"
echo '<!doctype html><title>console stand-in</title>' > "$WORK/console-dist/index.html"
echo 'console.log("stand-in")' > "$WORK/console-dist/console-assets/app-1.js"
start_gw() { # dir port origin [console dist] (extra environment: GW_ENV)
  env GATEWAY_RUN_DIR="$1" GATEWAY_PORT="$2" FRONTEND_ORIGIN="$3" CONSOLE_DIST="${4:-$WORK/no-console}" \
    AUTH_SERVICE_URL="http://127.0.0.1:${PORT[auth]}" CATALOG_SERVICE_URL="http://127.0.0.1:${PORT[catalog]}" \
    DATASETS_SERVICE_URL="http://127.0.0.1:${PORT[datasets]}/" JOBS_SERVICE_URL="http://127.0.0.1:${PORT[jobs]}" \
    STORAGE_SERVICE_URL="http://127.0.0.1:${PORT[storage]}" ${GW_ENV:-} "$GW" start
}
if GW_ENV="MAIL_CATCHER_URL=http://127.0.0.1:18106/" start_gw "$WORK/gw" $GW_PORT '*' "$WORK/console-dist" > "$WORK/gw-start.out" 2>&1; then ok "gateway.sh start (nginx -t passed, health answered)"
else cat "$WORK/gw-start.out"; bad "gateway.sh start"; finish; exit 1; fi
# the second also stands behind a trusted proxy (127.0.0.1, as an ingress controller in Kubernetes)
if GATEWAY_TRUSTED_PROXIES='127.0.0.1/32 1;' start_gw "$WORK/gw2" $GW2_PORT 'https://app.example.com,http://localhost:3000' > "$WORK/gw2-start.out" 2>&1; then
  ok "second gateway with a fixed origin list starts"
else cat "$WORK/gw2-start.out"; bad "second gateway start"; fi
# the third: the web app at / and two servers for every service but catalog's second, which is down
if GW_ENV="FRONTEND_UPSTREAM=http://127.0.0.1:${PORT[frontend]} AUTH_SERVICE_UPSTREAMS=127.0.0.1:${PORT[auth]},127.0.0.1:${PORT[auth-b]}
    CATALOG_SERVICE_UPSTREAMS=127.0.0.1:${PORT[catalog]},127.0.0.1:$DEAD_PORT DATASETS_SERVICE_UPSTREAMS=127.0.0.1:${PORT[datasets]},127.0.0.1:${PORT[datasets-b]}
    JOBS_SERVICE_UPSTREAMS=http://127.0.0.1:${PORT[jobs]},http://127.0.0.1:${PORT[jobs-b]} STORAGE_SERVICE_UPSTREAMS=127.0.0.1:${PORT[storage]},127.0.0.1:${PORT[storage-b]},127.0.0.1:${PORT[storage-c]}" \
    start_gw "$WORK/gw3" $GW3_PORT '*' "$WORK/console-dist" > "$WORK/gw3-start.out" 2>&1; then
  ok "third gateway with a web app and replicas starts"
else cat "$WORK/gw3-start.out"; bad "third gateway start"; fi

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
  req "$method" "$BASE$path" "${KEY[@]}" -H 'Content-Type: application/json' $( [ "$method" = GET ] || [ "$method" = DELETE ] || echo "--data-binary {}" )
  after=$(lines_in_log)
  got="$(last_upstream)"
  if [ "$STATUS" = 200 ] && [ "$after" = $((before+1)) ] && [ "$got" = "$svc $method $path" ]; then
    ok "route $method $path -> $svc"
  else
    bad "route $method $path -> $svc" "status $STATUS, upstream saw: '$got'"
  fi
done < "$HERE/routes.tsv"

# catalog's custom-model check (SPEC §15) with a real body (routes.tsv's line sends {})
before=$(lines_in_log)
req POST "$BASE/slmgen/validate-model" -H 'Content-Type: application/json' --data-binary '{"model_id":"a/b"}'
check "route POST /slmgen/validate-model -> catalog" test "$STATUS:$(last_upstream)" = "200:catalog POST /slmgen/validate-model"

# ---- paths that must NOT reach a service --------------------------------------------------------
not_routed() { # method path expected-status json-check description
  local before; before=$(lines_in_log)
  req "$1" "$BASE$2" "${KEY[@]}"
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

# ---- the web console at /console/ (static files from CONSOLE_DIST, anon key from keys.sh) -----------
ANON="$(bash "$REPO/deploy/scripts/keys.sh" | sed -n 's/^SUPABASE_ANON_KEY=//p')"
CONSOLE_CSP="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
before=$(lines_in_log)
req GET "$BASE/console/"
check "/console/ serves the console's index.html as text/html" bash -c "[ '$STATUS' = 200 ] && [[ '$(hdr Content-Type)' == text/html* ]] && grep -q 'console stand-in' '$WORK/body'"
check "the console has its own Content-Security-Policy and nosniff" test "$(hdr Content-Security-Policy)|$(hdr X-Content-Type-Options)" = "$CONSOLE_CSP|nosniff"
req GET "$BASE/"
check "/ serves the console too when there is no web app" bash -c "[ '$STATUS' = 200 ] && [[ '$(hdr Content-Type)' == text/html* ]] && grep -q 'console stand-in' '$WORK/body'"
req GET "$BASE/console"
check "/console redirects to /console/ (relative Location)" test "$STATUS:$(hdr Location)" = "301:/console/"
req GET "$BASE/console/console-assets/app-1.js"
check "/console/console-assets/* served as JavaScript" bash -c "[ '$STATUS' = 200 ] && [[ '$(hdr Content-Type)' == text/javascript* ]]"
check "console files never reach a service" test "$(lines_in_log)" = "$before"
not_routed GET "/console/console-assets/missing.js" 404 "d['status']==404" "missing console asset -> JSON 404"
not_routed GET "/console/../etc/passwd" 404 "d['status']==404" "nothing above the console directory"
req GET "$BASE/console/console-config.json"
check "/console/console-config.json holds the anon key minted by keys.sh and the mail catcher's URL" \
  test "$STATUS:$(json "d['anonKey']"):$(json "d['mailUrl']")" = "200:$ANON:http://127.0.0.1:18106/"
req GET "$BASE/console-config.json"
check "/console-config.json (older consoles) answers the same" test "$STATUS:$(json "d['anonKey']")" = "200:$ANON"
req GET "$BASE2/console/console-config.json"
check "no mailUrl when no mail catcher is configured" test "$STATUS:$(json "'mailUrl' in d")" = "200:False"

# ---- upstream errors pass through untouched -----------------------------------------------------
req GET "$BASE/api/models/missing?fake_status=404"
check "upstream 404 body passes through untouched" test "$STATUS:$(json "d.get('from')")" = "404:upstream"
req POST "$BASE/auth/v1/token?grant_type=refresh_token&fake_status=400" "${KEY[@]}" --data-binary '{}'
check "upstream 400 body passes through untouched" test "$STATUS:$(json "d.get('from')")" = "400:upstream"
req GET "$BASE/rest/v1/jobs?fake_status=503" "${KEY[@]}"
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
req GET "$BASE/rest/v1/nothing_here" "${KEY[@]}"
check "X-Request-Id on the gateway's own 404" bash -c "[[ '$(hdr X-Request-Id)' =~ ^[0-9a-f]{32}$ ]]"

# ---- uploads: streamed, limits ------------------------------------------------------------------
head -c $((20*1024*1024)) /dev/zero > "$WORK/20m.bin"
req POST "$BASE/storage/v1/object/datasets/u1/big.bin" "${KEY[@]}" -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "20 MB upload to /storage/v1 accepted and fully delivered" test "$STATUS:$(json "d['body_len']")" = "200:20971520"
req POST "$BASE/storage/v1/object/datasets/u1/chunked.bin" "${KEY[@]}" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "chunked upload to /storage/v1 streamed (not buffered: still chunked upstream)" \
  test "$STATUS:$(json "d['transfer_encoding']"):$(json "d['body_len']")" = "200:chunked:20971520"
req POST "$BASE/slmgen/upload" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "chunked upload to /slmgen/upload streamed" test "$STATUS:$(json "d['service']"):$(json "d['transfer_encoding']")" = "200:datasets:chunked"
req POST "$BASE/api/datasets" -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/20m.bin"
check "chunked upload to /api/datasets streamed" test "$STATUS:$(json "d['service']"):$(json "d['transfer_encoding']")" = "200:datasets:chunked"

head -c $((11*1024*1024)) /dev/zero > "$WORK/11m.bin"
before=$(lines_in_log)
req POST "$BASE/rest/v1/jobs" "${KEY[@]}" -H 'Content-Type: application/json' --data-binary "@$WORK/11m.bin"
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
c.putheader("apikey", "test-anon-key")
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

# ---- API keys, as Supabase's gateway (SPEC §11) ---------------------------------------------------
NOKEY_BODY='{"message":"No API key found in request"}'
no_key() { # method path description [curl args]: 401 from the gateway, nothing forwarded
  local m="$1" p="$2" d="$3"; shift 3
  local before; before=$(lines_in_log)
  req "$m" "$BASE$p" "$@"
  if [ "$STATUS" = 401 ] && [ "$(cat "$WORK/body")" = "$NOKEY_BODY" ] && [[ "$(hdr Content-Type)" == application/json* ]] \
     && [ "$(lines_in_log)" = "$before" ]; then ok "$d"; else bad "$d" "status $STATUS, body $(head -c 200 "$WORK/body"), upstream saw: $(tail -n +$((before+1)) "$LOG" | head -n 2)"; fi
}
forwarded() { # method path description [curl args]: reaches its service unrewritten
  local m="$1" p="$2" d="$3"; shift 3
  local before; before=$(lines_in_log)
  req "$m" "$BASE$p" "$@"
  if [ "$STATUS" = 200 ] && [ "$(lines_in_log)" = $((before+1)) ] && [[ "$(last_upstream)" == *" $m $p" ]]; then ok "$d"
  else bad "$d" "status $STATUS, upstream saw: '$(last_upstream)'"; fi
}
no_key GET "/rest/v1/jobs?select=*" "/rest/v1 without apikey -> 401 No API key found in request (Kong's body), not forwarded" -H 'Origin: http://localhost:3000'
check "the 401 carries CORS, X-Request-Id and WWW-Authenticate" bash -c "[ '$(hdr Access-Control-Allow-Origin)' = http://localhost:3000 ] && [ -n '$(hdr X-Request-Id)' ] && [ '$(hdr WWW-Authenticate)' = 'Key realm=\"slmgen\"' ]"
no_key POST "/auth/v1/signup" "/auth/v1/signup without apikey -> 401" -H 'Content-Type: application/json' --data-binary '{}'
no_key GET "/auth/v1/user" "/auth/v1/user with only a bearer token -> 401" -H 'Authorization: Bearer x.y.z'
no_key GET "/storage/v1/bucket" "/storage/v1/bucket without apikey -> 401"
no_key GET "/storage/v1/object/authenticated/datasets/u1/a.jsonl" "authenticated object download without apikey -> 401"
no_key POST "/storage/v1/object/sign/notebooks/u1/n.ipynb" "creating a signed URL without apikey -> 401" --data-binary '{}'
no_key POST "/storage/v1/object/upload/sign/datasets/u1/a.jsonl" "creating a signed upload URL without apikey -> 401" --data-binary '{}'
no_key GET "/rest/v1/unknown_table" "unknown /rest/v1 table without apikey -> 401 first, as Kong"
no_key GET "/auth/v1/verifyx" "/auth/v1/verifyx is not the open /auth/v1/verify"
no_key GET "/rest/v1/jobs" "an empty apikey header counts as none" -H 'apikey;'
no_key GET "/rest/v1/jobs?apikey=" "an empty apikey parameter counts as none"
no_key GET "/storage/v1/object/public/../authenticated/datasets/u1/a.jsonl" "dot segments cannot borrow an open route (raw ../)"
no_key GET "/storage/v1/object/public/%2e%2e/authenticated/datasets/u1/a.jsonl" "dot segments cannot borrow an open route (%2e%2e)"
forwarded GET "/rest/v1/jobs?select=*" "apikey header -> forwarded" -H 'apikey: k'
check "the apikey header reaches the service unchanged" test "$(json "d['headers']['apikey']")" = k
forwarded GET "/rest/v1/jobs?select=*&apikey=k" "apikey query parameter -> forwarded, query unchanged"
forwarded GET "/auth/v1/verify?token=abc&type=magiclink&redirect_to=http%3A%2F%2Flocalhost%3A3000" "open: /auth/v1/verify (mail links)"
forwarded POST "/auth/v1/verify" "open: POST /auth/v1/verify" --data-binary '{}'
forwarded GET "/auth/v1/callback?code=x&state=y" "open: /auth/v1/callback (OAuth providers)"
forwarded GET "/auth/v1/authorize?provider=github" "open: /auth/v1/authorize"
forwarded GET "/auth/v1/.well-known/jwks.json" "open: /auth/v1/.well-known/jwks.json"
forwarded GET "/storage/v1/object/public/avatars/u1/a.png" "open: public objects"
forwarded HEAD "/storage/v1/object/public/avatars/u1/a.png" "open: HEAD of public objects"
forwarded GET "/storage/v1/object/sign/notebooks/u1/n.ipynb?token=t" "open: signed download URLs"
forwarded PUT "/storage/v1/object/upload/sign/datasets/u1/a.jsonl?token=t" "open: upload to a signed upload URL" --data-binary 'x'
forwarded GET "/api/models" "not a Supabase route: /api/* needs no apikey"
forwarded POST "/slmgen/upload" "not a Supabase route: /slmgen/* needs no apikey" --data-binary 'x'
forwarded POST "/auth/login" "not a Supabase route: the seed's /auth/* needs no apikey" --data-binary '{}'
forwarded GET "/auth/me" "not a Supabase route: /auth/me needs no apikey"
req OPTIONS "$BASE/rest/v1/jobs" -H 'Origin: http://localhost:3000' -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: apikey, authorization'
check "CORS preflight needs no apikey" test "$STATUS:$(hdr Access-Control-Allow-Origin)" = "204:http://localhost:3000"

# ---- content safety on storage paths (SPEC §9, §11) --------------------------------------------
STORAGE_CSP="default-src 'none'; sandbox"
req GET "$BASE/storage/v1/object/public/avatars/u1/x.svg"
check "storage download: nosniff and CSP default-src 'none'; sandbox" test "$(hdr X-Content-Type-Options)|$(hdr Content-Security-Policy)" = "nosniff|$STORAGE_CSP"
req GET "$BASE/storage/v1/object/authenticated/datasets/u1/x.html?fake_own_headers=1" "${KEY[@]}"
check "the service's own nosniff/CSP are replaced, not doubled" \
  test "$(hdr_count X-Content-Type-Options):$(hdr_count Content-Security-Policy):$(hdr Content-Security-Policy)" = "1:1:$STORAGE_CSP"
req GET "$BASE/storage/v1/object/authenticated/datasets/u1/big.jsonl?fake_status=206" "${KEY[@]}" -H 'Range: bytes=0-9' -H 'Origin: http://localhost:3000'
check "Range reaches storage and its 206 + Content-Range come back, with nosniff and CSP" \
  test "$STATUS|$(json "d['headers']['range']")|$(hdr Content-Range | cut -d/ -f2)|$(hdr X-Content-Type-Options)|$(hdr Content-Security-Policy)" = "206|bytes=0-9|1000|nosniff|$STORAGE_CSP"
expose="$(hdr Access-Control-Expose-Headers)"
missing=""
for h in Content-Range Content-Length Content-Type Content-Disposition Accept-Ranges ETag; do [[ ", $expose," == *", $h,"* ]] || missing="$missing $h"; done
if [ -z "$missing" ]; then ok "storage answers expose Content-Range, Content-Disposition, Accept-Ranges, ETag to browsers"; else bad "storage expose headers" "missing:$missing"; fi
req HEAD "$BASE/storage/v1/object/authenticated/datasets/u1/a.jsonl" "${KEY[@]}" -I
check "HEAD on storage: 200 with nosniff and CSP" test "$STATUS|$(hdr X-Content-Type-Options)|$(hdr Content-Security-Policy)" = "200|nosniff|$STORAGE_CSP"
req POST "$BASE/storage/v1/object/list/avatars" "${KEY[@]}" -H 'Content-Type: application/json' --data-binary '{"prefix":""}'
check "storage JSON APIs unchanged (body and type pass through)" test "$STATUS|$(hdr Content-Type)|$(json "d['service']")" = "200|application/json|storage"
req GET "$BASE/api/models?fake_own_headers=1"
check "other services: nosniff once, their own CSP kept" test "$(hdr_count X-Content-Type-Options)|$(hdr Content-Security-Policy)" = "1|default-src 'self'"
req GET "$BASE/api/models"
check "other services: no CSP added" test "$(hdr X-Content-Type-Options)|$(hdr_count Content-Security-Policy)" = "nosniff|0"
req GET "$BASE/slmgen/notebooks/sess-1.ipynb"
check "the Colab notebook route keeps its own CORS and gets nosniff" test "$(hdr Access-Control-Allow-Origin)|$(hdr X-Content-Type-Options)" = "*|nosniff"
req GET "$BASE/nope"
check "the gateway's own answers carry nosniff" test "$(hdr X-Content-Type-Options)" = nosniff

# ---- the client's address, scheme and port: the peer's, unless the peer is a trusted proxy ------------
fwd='d["headers"]["x-forwarded-for"]+"|"+d["headers"]["x-forwarded-proto"]+"|"+d["headers"]["x-forwarded-port"]'
req GET "$BASE/api/models" -H 'X-Forwarded-For: 6.6.6.6' -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-Port: 443'
check "a client's own X-Forwarded-For/-Proto/-Port are ignored (no trusted proxy): the service sees the peer" \
  test "$(json "$fwd")" = "127.0.0.1|http|$GW_PORT"
req GET "$BASE2/api/models" -H 'X-Forwarded-For: 6.6.6.6, 203.0.113.9' -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-Port: 443'
check "behind a trusted proxy the service sees the client it forwarded (rightmost entry), https and 443" \
  test "$(json "$fwd")" = "203.0.113.9|https|443"
req GET "$BASE2/api/models" -H 'X-Forwarded-Proto: javascript' -H 'X-Forwarded-Port: 443x'
check "behind a trusted proxy, no X-Forwarded-For and junk scheme/port: the peer's own are kept" \
  test "$(json "$fwd")" = "127.0.0.1|http|$GW2_PORT"
check "gateway.sh refuses GATEWAY_TRUSTED_PROXIES that are not geo entries" \
  bash -c "! env GATEWAY_RUN_DIR='$WORK/gw-bad2' GATEWAY_TRUSTED_PROXIES='0.0.0.0/0 1; } evil {' '$GW' render >/dev/null 2>&1"

# ---- the web app at / (FRONTEND_UPSTREAM), third gateway --------------------------------------
front() { # path description [curl args]: reaches the web app unrewritten
  local p="$1" d="$2"; shift 2
  local before; before=$(lines_in_log)
  req GET "$BASE3$p" "$@"
  if [ "$STATUS" = 200 ] && [ "$(lines_in_log)" = $((before+1)) ] && [ "$(last_upstream)" = "frontend GET $p" ]; then ok "$d"
  else bad "$d" "status $STATUS, upstream saw: '$(last_upstream)'"; fi
}
front "/" "FRONTEND_UPSTREAM: / is the web app"
check "the web app sees the browser's Host and X-Forwarded-Host/Proto" \
  test "$(json "d['host']")|$(json "d['headers']['x-forwarded-host']")|$(json "d['headers']['x-forwarded-proto']")" = "127.0.0.1:$GW3_PORT|127.0.0.1:$GW3_PORT|http"
front "/dashboard/history?tab=1" "web app pages pass unrewritten"
front "/_next/static/chunks/app-123.js" "Next.js assets (/_next/) reach the web app"
front "/login" "the app's /login page"
front "/auth/callback?code=abc&next=%2Fdashboard" "a page load of the app's /auth/callback (Sec-Fetch-Dest: document) goes to the app" -H 'Sec-Fetch-Dest: document' -H 'Accept: text/html'
front "/auth/update-password" "a page load without Sec-Fetch-Dest but Accept: text/html goes to the app" -H 'Accept: text/html,application/xhtml+xml'
before=$(lines_in_log); req GET "$BASE3/auth/callback?token_hash=x&type=magiclink" -H 'Accept: application/json' -H 'Sec-Fetch-Dest: empty'
check "an API call to the seed's /auth/callback still reaches auth-service" test "$STATUS:$(last_upstream)" = "200:auth GET /auth/callback?token_hash=x&type=magiclink"
req GET "$BASE3/auth/v1/verify?token=t&type=magiclink" -H 'Sec-Fetch-Dest: document' -H 'Accept: text/html'
check "a page load of /auth/v1/verify (the mail link) still reaches auth-service" bash -c "[[ '$(last_upstream)' == 'auth GET /auth/v1/verify'* || '$(last_upstream)' == 'auth-b GET /auth/v1/verify'* ]]"
req POST "$BASE3/dashboard" -H 'Next-Action: abc' -H 'Content-Type: text/plain' --data-binary 'server action body'
check "POSTs to pages (Next.js server actions) reach the web app with their body" test "$STATUS:$(json "d['service']"):$(json "d['body_len']")" = "200:frontend:18"
# Next.js makes absolute redirects from its own listening address (http://localhost:<port>, or its -H/HOSTNAME,
# e.g. 0.0.0.0): the browser must stay on the gateway's origin, where the session cookies are
redirect_from_app() { # path-with-query expected-location description [curl args]
  local p="$1" want="$2" d="$3"; shift 3
  req GET "$BASE3$p" "$@"
  if [ "$STATUS" = 307 ] && [ "$(hdr Location)" = "$want" ]; then ok "$d"; else bad "$d" "status $STATUS, Location '$(hdr Location)'"; fi
}
redirect_from_app "/auth/callback?code=c1&fake_status=307&fake_location=http%3A%2F%2Flocalhost%3A${PORT[frontend]}%2Fdashboard" "/dashboard" \
  "the app's /auth/callback redirecting to its own http://localhost:<port>/dashboard lands on the gateway's origin" -H 'Sec-Fetch-Dest: document' -H 'Accept: text/html'
redirect_from_app "/dashboard?fake_status=307&fake_location=http%3A%2F%2F127.0.0.1%3A${PORT[frontend]}%2Flogin%3FredirectTo%3D%252Fdashboard" "/login?redirectTo=%2Fdashboard" \
  "a page redirecting to the app server's own 127.0.0.1:<port> address: made relative, query kept encoded"
redirect_from_app "/x?fake_status=307&fake_location=http%3A%2F%2F0.0.0.0%3A3000%2Flogin" "/login" "a redirect to 0.0.0.0:<port> (Next's Docker HOSTNAME) is made relative"
redirect_from_app "/x?fake_status=307&fake_location=http%3A%2F%2Flocalhost%3A${PORT[frontend]}" "/" "a redirect to the app server's bare origin becomes /"
redirect_from_app "/x?fake_status=307&fake_location=https%3A%2F%2Fgithub.com%2Flogin%2Foauth%2Fauthorize%3Fclient_id%3Dabc" "https://github.com/login/oauth/authorize?client_id=abc" \
  "a redirect to another site (an OAuth provider) is left alone"
redirect_from_app "/x?fake_status=307&fake_location=http%3A%2F%2Flocalhost.example.com%2Fa" "http://localhost.example.com/a" "a host that only starts with localhost is left alone"
redirect_from_app "/x?fake_status=307&fake_location=http%3A%2F%2Fslmgen-web-6d5f8b7c9-x2x7q%3A3000%2Fdashboard" "/dashboard" \
  "a redirect to the app's own single-label host name (a Kubernetes pod's HOSTNAME) is made relative"
redirect_from_app "/x?fake_status=307&fake_location=https%3A%2F%2Fexample.com%3A8443%2Fa" "https://example.com:8443/a" "a dotted host with a port is left alone"
req GET "$BASE3/auth/v1/verify?token=t&type=magiclink&fake_status=303&fake_location=http%3A%2F%2Flocalhost%3A3000%2Fwelcome" -H 'Sec-Fetch-Dest: document' -H 'Accept: text/html'
check "auth-service's redirects (to a redirect_to on localhost) are not rewritten" test "$STATUS|$(hdr Location)" = "303|http://localhost:3000/welcome"
req GET "$BASE3/missing-page?fake_status=404"
check "the web app's own 404 passes through" test "$STATUS:$(json "d.get('from')")" = "404:upstream"
req GET "$BASE3/console/"
check "with a web app, the console stays at /console/" bash -c "[ '$STATUS' = 200 ] && grep -q 'console stand-in' '$WORK/body'"
req GET "$BASE3/rest/v1/unknown_table" "${KEY[@]}"
check "with a web app, unknown /rest/v1 tables still answer PGRST205" test "$STATUS:$(json "d['code']")" = "404:PGRST205"
req GET "$BASE3/slmgen/personality"
check "with a web app, unknown /slmgen paths still answer {detail}" test "$STATUS:$(json "d['detail']")" = "404:Not Found"
req GET "$BASE3/api/unknown"
check "with a web app, unknown /api paths still answer JSON 404" test "$STATUS:$(json "d['status']")" = "404:404"
req GET "$BASE3/"
check "a plain page request sends no Upgrade upstream" test "$(json "d['headers']['upgrade']")" = None
ws="$(python3 - "$GW3_PORT" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET /_next/webpack-hmr HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
head = b""
while b"\r\n\r\n" not in head:
    head += s.recv(1024)
status = head.split(b"\r\n")[0].decode()
rest = head.split(b"\r\n\r\n", 1)[1]
s.sendall(b"hot-reload-ping")
while len(rest) < 15:
    rest += s.recv(1024)
print(status.split(" ")[1], rest.decode())
EOF
)"
check "the web app's websocket (Next.js hot reload) is upgraded and carries data both ways" test "$ws" = "101 hot-reload-ping"

# set-frontend: the web app switched on and off on a running gateway (second gateway: no console build)
GATEWAY_RUN_DIR="$WORK/gw2" "$GW" set-frontend "http://127.0.0.1:${PORT[frontend]}" > "$WORK/setfe.out" 2>&1
got=""; for _ in $(seq 1 20); do req GET "$BASE2/"; got="$STATUS:$(json "d.get('service')")"; [ "$got" = 200:frontend ] && break; sleep 0.25; done
check "gateway.sh set-frontend URL: / becomes the web app without a restart" test "$got" = "200:frontend"
GATEWAY_RUN_DIR="$WORK/gw2" "$GW" set-frontend off >> "$WORK/setfe.out" 2>&1
got=""; for _ in $(seq 1 20); do req GET "$BASE2/"; got="$STATUS:$(json "d.get('status')")"; [ "$got" = 404:404 ] && break; sleep 0.25; done
check "gateway.sh set-frontend off: / is back to the console (none built here: JSON 404)" test "$got" = "404:404"

# ---- replicas: balancing, and retries only where safe (third gateway) ----------------------------
check "gateway.sh renders every listed replica" grep -q "server 127.0.0.1:${PORT[auth]}; server 127.0.0.1:${PORT[auth-b]};" "$WORK/gw3/gateway.conf"
seen_by() { grep -c "^$1 $2\$" "$LOG"; }  # seen_by SERVICE "METHOD PATH"
n_a=0; n_b=0
for i in 1 2 3 4 5 6; do
  req GET "$BASE3/auth/v1/settings?rr=$i" "${KEY[@]}"
  [ "$(seen_by auth "GET /auth/v1/settings?rr=$i")" = 1 ] && n_a=$((n_a+1))
  [ "$(seen_by auth-b "GET /auth/v1/settings?rr=$i")" = 1 ] && n_b=$((n_b+1))
done
check "requests are balanced over both replicas ($n_a + $n_b of 6)" test "$((n_a + n_b)):$((n_a > 0 && n_b > 0))" = "6:1"
allok=1
for i in 1 2 3 4 5 6; do
  req GET "$BASE3/api/models?down=$i"; [ "$STATUS" = 200 ] || allok=0
  req POST "$BASE3/api/recommendations?down=$i" --data-binary '{}'; [ "$STATUS" = 200 ] || allok=0
done
check "a replica that is down (connection refused): every GET and POST served by the other" test "$allok" = 1
# the replica left answers one 503 (its database blipped, say) while the other is down: nginx takes it out
# too, and without the backup entries gateway.sh adds every request would get 502 for fail_timeout (10 s)
req GET "$BASE3/api/models?fake_status=503&survivor=1"
allok=1
for i in 1 2 3 4; do req GET "$BASE3/api/models?after503=$i"; [ "$STATUS" = 200 ] || allok=0; done
check "the one replica left keeps serving after it answered a 503 (no 502 while the other is down)" test "$allok" = 1
retried=0; allok=1
for i in 1 2 3 4; do
  req GET "$BASE3/api/jobs/42?fake_drop=jobs-b&n=$i"
  [ "$STATUS" = 200 ] || allok=0
  [ "$(seen_by jobs-b "GET /api/jobs/42?fake_drop=jobs-b&n=$i"):$(seen_by jobs "GET /api/jobs/42?fake_drop=jobs-b&n=$i")" = 1:1 ] && retried=$((retried+1))
done
check "a GET whose replica dies mid-request is retried on the other (all 200, $retried retried)" test "$allok:$((retried > 0))" = "1:1"
never_twice() { # description service METHOD path-prefix [curl args]: each request reached one replica at most
  local d="$1" svc="$2" m="$3" p="$4"; shift 4
  local twice=0 failed=0 i a b c
  for i in 1 2 3 4; do
    req "$m" "$BASE3$p&n=$i" "$@"
    a=$(seen_by "$svc" "$m $p&n=$i"); b=$(seen_by "$svc-b" "$m $p&n=$i"); c=$(seen_by "$svc-c" "$m $p&n=$i")
    [ $((a + b + c)) -gt 1 ] && twice=$((twice+1))
    if [ "$STATUS" = 502 ]; then failed=$((failed+1)); [ "$(json "d['status']")" = 502 ] || twice=99; fi
  done
  check "$d ($failed answered 502, none sent twice)" test "$twice:$((failed > 0))" = "0:1"
}
never_twice "a POST whose replica dies mid-request is never retried" auth POST "/auth/v1/token?grant_type=password&fake_drop=auth-b" "${KEY[@]}" --data-binary '{}'
never_twice "a PATCH whose replica dies mid-request is never retried" datasets PATCH "/rest/v1/datasets?id=eq.1&fake_drop=datasets-b" "${KEY[@]}" --data-binary '{}'
never_twice "an upload (POST) whose replica dies mid-request is never retried" storage POST "/storage/v1/object/datasets/u1/a.jsonl?fake_drop=storage-b" "${KEY[@]}" --data-binary 'line'
# PUT is idempotent (RFC 9110): nginx replays it only when it holds the whole body; a streamed one never
head -c $((2*1024*1024)) /dev/zero > "$WORK/2m.bin"
never_twice "a streamed upload (PUT, 2 MB) whose replica dies mid-request is never sent twice" storage PUT "/storage/v1/object/datasets/u1/b.jsonl?fake_drop=storage-c" "${KEY[@]}" --data-binary "@$WORK/2m.bin"
out="$(curl -s -N --max-time 1.5 "$BASE3/api/jobs/42/events" 2>/dev/null || true)"
check "server-sent events stay unbuffered over replicas" test "$out" = "data: first"
check "gateway.sh refuses an upstream list entry that is not host:port" \
  bash -c "! env GATEWAY_RUN_DIR='$WORK/gw-bad' AUTH_SERVICE_UPSTREAMS='127.0.0.1:1;evil' '$GW' render >/dev/null 2>&1"

# ---- one template for every deployment ----------------------------------------------------------
check "deploy/k8s/base/gateway/gateway.conf.template is identical to deploy/gateway's (gateway.sh sync-k8s)" \
  cmp -s "$REPO/deploy/gateway/gateway.conf.template" "$REPO/deploy/k8s/base/gateway/gateway.conf.template"
missing=""
for v in $(grep -o '\${GATEWAY_[A-Z_]*}' "$REPO/deploy/gateway/gateway.conf.template" | sort -u | tr -d '${}'); do
  grep -Eq "^\s+$v:" "$REPO/docker-compose.yml" || missing="$missing docker-compose.yml:$v"
  grep -Eq "name: $v\s*$" "$REPO/deploy/k8s/base/gateway.yaml" || missing="$missing gateway.yaml:$v"
done
if [ -z "$missing" ]; then ok "docker-compose and Kubernetes define every variable of the template"
else bad "docker-compose and Kubernetes define every variable of the template (the nginx image leaves others unfilled)" "missing:$missing"; fi

# ---- upstream down -> JSON 502 ------------------------------------------------------------------
kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=""
req GET "$BASE/api/models" -H 'Origin: http://localhost:3000'
check "service down -> 502 JSON" test "$STATUS:$(json "d['status']")" = "502:502"
check "502 carries CORS and X-Request-Id" bash -c "[ -n '$(hdr Access-Control-Allow-Origin)' ] && [ -n '$(hdr X-Request-Id)' ]"
req GET "$BASE/slmgen/jobs"
check "service down on /slmgen -> 502 {detail}" test "$STATUS:$(json "'detail' in d")" = "502:True"
req GET "$BASE3/dashboard"
check "web app down -> 502 JSON" test "$STATUS:$(json "d['status']")" = "502:502"

# ---- stop ---------------------------------------------------------------------------------------
GATEWAY_RUN_DIR="$WORK/gw" "$GW" stop >/dev/null 2>&1
check "gateway.sh stop stops nginx" bash -c "! curl -s --max-time 1 '$BASE/gateway/health' >/dev/null"
check "gateway.sh status reports stopped" bash -c "! GATEWAY_RUN_DIR='$WORK/gw' '$GW' status >/dev/null"

rm -f "$WORK/20m.bin" "$WORK/11m.bin" "$WORK/2m.bin"
finish
