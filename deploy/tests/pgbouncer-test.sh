#!/usr/bin/env bash
# Transaction pooling is safe (README "Connection budget"; SPEC §3, §11): every request's role and claims
# are transaction-local (SET LOCAL ROLE, set_config(..., true)), so a transaction-mode pooler may hand one
# server connection to many requests of many users. Proven here through a real pgbouncer (Debian package;
# installed when missing), started by this script as an unprivileged process with its own config, pid file
# and log in deploy/.run/pgbouncer-test (the system pgbouncer and PostgreSQL's own config are not touched):
#   1. pgbouncer on SLMGEN_PORT_BASE + 41, pool_mode = transaction, default_pool_size = 2, in front of a
#      fresh database of its own;
#   2. auth-service and catalog-service (their jars from the build) on base + 42/43, with every connection
#      through the pooler: Liquibase's JDBC (prepareThreshold=0: no server-side prepared statements) and
#      the reactive pool (use-layer7-proxy + no prepared-statement cache: unnamed statements only; with the
#      cache, a server connection handed to another client fails with 'prepared statement "0000000" already
#      exists'), pool 8 per service over 2 server connections;
#   3. a control with psql through the same pooler: a *session* setting leaks to the next client (so the
#      set-up would see a leak), a transaction-local one does not;
#   4. 8 users signed up through the pooled auth-service, then 8 threads × 12 rounds of writes and reads
#      of their own training configs (/rest/v1 and /api), /auth/v1/user and /rest/v1/profiles, all at
#      once: every answer must carry only the caller's rows and id (no claim leaks), and pgbouncer's own
#      counters must show more clients than server connections (the pooling really happened).
# Bounded (every wait has a limit); cleans up (processes by pid, the database). Last line: "N passed, M failed".
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../scripts/lib.sh"
WORK="$RUN_DIR/pgbouncer-test"
PGB_PORT=$((BASE + 41)) AUTH_PORT=$((BASE + 42)) CATALOG_PORT=$((BASE + 43))
TEST_DB="${DB_NAME}_pgbouncer_test"
PASS=0 FAIL=0
line() { if [ "$1" = ok ]; then PASS=$((PASS+1)); echo "ok   - $2"; else FAIL=$((FAIL+1)); echo "FAIL - $2"; fi; }
finish() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; exit $?; }
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done; kill -9 "$p" 2>/dev/null; done
  [ -f "$WORK/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null
  su_psql -d postgres -c "drop database if exists \"$TEST_DB\" with (force)" >/dev/null 2>&1
}
[ "${PGB_KEEP:-0}" = 1 ] || trap cleanup EXIT   # PGB_KEEP=1: leave it all running to look at

for app in auth-service catalog-service; do
  [ -f "$ROOT/$app/target/quarkus-app/quarkus-run.jar" ] || { line fail "$app is built (run ./mvnw package first)"; finish; }
done
eval "$(bash "$ROOT/deploy/scripts/ensure-postgres.sh")"
if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
  echo "# installing pgbouncer from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null 2>&1; }
fi
PGBOUNCER="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
[ -x "$PGBOUNCER" ] && line ok "pgbouncer $("$PGBOUNCER" --version | head -1 | awk '{print $2}') available" || { line fail "pgbouncer could not be installed"; finish; }

# ---- a fresh database, the pooler in front of it
rm -rf "$WORK"; mkdir -p "$WORK"
su_psql -d postgres -c "drop database if exists \"$TEST_DB\" with (force)" >/dev/null
bash "$ROOT/deploy/scripts/db-init.sh" >/dev/null   # roles (idempotent)
su_psql -d postgres -c "create database \"$TEST_DB\" owner \"$DB_USER\"" >/dev/null
cat >"$WORK/pgbouncer.ini" <<INI
[databases]
slmgen_pooled = host=$DB_HOST port=$DB_PORT dbname=$TEST_DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $WORK/userlist.txt
admin_users = $DB_USER
pool_mode = transaction
default_pool_size = 2
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 200
server_reset_query =
# the clients' startup parameters pgbouncer does not track itself
ignore_startup_parameters = extra_float_digits,options
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" >"$WORK/userlist.txt"
chmod 600 "$WORK/userlist.txt"
run_user=()
if [ "$(id -u)" -eq 0 ]; then chown -R nobody "$WORK"; run_user=(-u nobody); fi   # pgbouncer refuses to run as root
"$PGBOUNCER" -d "${run_user[@]}" "$WORK/pgbouncer.ini" >"$WORK/pgbouncer.start" 2>&1
for _ in $(seq 1 50); do [ -s "$WORK/pgbouncer.pid" ] && break; sleep 0.1; done
PGB_PID="$(cat "$WORK/pgbouncer.pid" 2>/dev/null)"
owner="$(ps -o user= -p "${PGB_PID:-0}" 2>/dev/null | tr -d ' ')"
[ -n "$PGB_PID" ] && [ -n "$owner" ] && [ "$owner" != root ] && line ok "pgbouncer runs on :$PGB_PORT as '$owner' (pid $PGB_PID), transaction mode, 2 server connections" \
  || { line fail "pgbouncer started as a non-root process ($(cat "$WORK/pgbouncer.start" "$WORK/pgbouncer.log" 2>/dev/null | tail -c 300))"; finish; }
pooled_psql() { PGPASSWORD="$DB_PASSWORD" psql -X -q -At -h 127.0.0.1 -p "$PGB_PORT" -U "$DB_USER" "$@"; }
admin() { pooled_psql -d pgbouncer -c "$1"; }

# ---- 3. the control: would the set-up see a leak? (one server connection: default_pool_size 2, used one at a time)
pooled_psql -d slmgen_pooled -c "select set_config('request.jwt.claims', '{\"sub\":\"leaked-session\"}', false)" >/dev/null
seen="$(pooled_psql -d slmgen_pooled -c "select coalesce(current_setting('request.jwt.claims', true), '')")"
seen2="$(pooled_psql -d slmgen_pooled -c "select coalesce(current_setting('request.jwt.claims', true), '')")"
[[ "$seen$seen2" == *leaked-session* ]] && line ok "control: a session-level setting does leak to the next client through this pooler" \
  || line fail "control: a session-level setting should leak through a transaction pooler (got '$seen' '$seen2')"
admin "RECONNECT slmgen_pooled" >/dev/null 2>&1 || true   # drop that dirty server connection
sleep 0.5
pooled_psql -d slmgen_pooled -c "begin; select set_config('request.jwt.claims', '{\"sub\":\"tx-local\"}', true); commit;" >/dev/null
seen="$(pooled_psql -d slmgen_pooled -c "select coalesce(current_setting('request.jwt.claims', true), '')")"
[ -z "$seen" ] && line ok "control: a transaction-local setting (set_config(..., true), as the services use) does not" \
  || line fail "control: a transaction-local setting leaked ('$seen')"

# ---- 2. auth-service and catalog-service with every connection through the pooler
SECRET="$(openssl rand -hex 32)"
start_service() { # name port
  local app="$ROOT/$1/target/quarkus-app"
  (cd "$app" && exec env PORT="$2" DB_HOST=127.0.0.1 DB_PORT="$PGB_PORT" DB_NAME=slmgen_pooled \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGB_PORT/slmgen_pooled?prepareThreshold=0" \
      QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_USE_LAYER7_PROXY=true QUARKUS_DATASOURCE_REACTIVE_CACHE_PREPARED_STATEMENTS=false \
      QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=8 \
      SUPABASE_JWT_SECRET="$SECRET" SLMGEN_ALLOW_DEMO_SECRET=false SUPABASE_URL="http://127.0.0.1:$AUTH_PORT" \
      AUTH_SERVICE_URL="http://127.0.0.1:$AUTH_PORT" CATALOG_SERVICE_URL="http://127.0.0.1:$CATALOG_PORT" \
      AUTH_RATE_LIMIT_SIGNUP_SIGNIN=100000 AUTH_RATE_LIMIT_TOKEN_REFRESH=100000 AUTH_AUTOCONFIRM=true \
      java -Xmx192m -jar quarkus-run.jar) >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
start_service auth-service "$AUTH_PORT"
start_service catalog-service "$CATALOG_PORT"
deadline=$((SECONDS + ${PGB_READY_TIMEOUT:-180}))
for p in "$AUTH_PORT" "$CATALOG_PORT"; do
  until curl -fsS -m 2 "http://127.0.0.1:$p/q/health/ready" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || break
    sleep 1
  done
done
for pair in "auth-service:$AUTH_PORT" "catalog-service:$CATALOG_PORT"; do
  if curl -fsS -m 2 "http://127.0.0.1:${pair##*:}/q/health/ready" >/dev/null 2>&1; then
    line ok "${pair%%:*} migrated its slice and is ready with all of its connections through the pooler"
  else
    line fail "${pair%%:*} ready through the pooler (log: $WORK/${pair%%:*}.log)"; tail -n 15 "$WORK/${pair%%:*}.log"; finish
  fi
done

# ---- 4. many users at once, every answer checked for other users' data
ANON="$(SUPABASE_JWT_SECRET="$SECRET" bash "$ROOT/deploy/scripts/keys.sh" | sed -n 's/^SUPABASE_ANON_KEY=//p')"
admin "SHOW STATS" >/dev/null 2>&1
( while :; do admin "SHOW POOLS" 2>/dev/null | grep '^slmgen_pooled|' >>"$WORK/pools.log"; sleep 0.1; done ) & POLLER=$!
PIDS+=($POLLER)
python3 - "$AUTH_PORT" "$CATALOG_PORT" "$ANON" >"$WORK/rls.out" 2>&1 <<'PY'
import json, sys, threading, urllib.request, uuid
auth, catalog, anon = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def call(port, method, path, token=None, body=None, prefer=None):
    h = {"apikey": anon, "content-type": "application/json"}
    if token: h["authorization"] = "Bearer " + token
    if prefer: h["prefer"] = prefer
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=h,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()[:200]
users = []
for i in range(8):
    st, s = call(auth, "POST", "/auth/v1/signup", body={"email": f"pgb-{uuid.uuid4().hex[:10]}@example.test", "password": "correct-horse-battery-staple"})
    assert st == 200 and s.get("access_token"), f"sign-up through the pooler: {st} {s}"
    users.append((s["user"]["id"], s["access_token"]))
errors, counts = [], {"requests": 0}
lock = threading.Lock()
def work(uid, token, rounds=12):
    mine = set()
    for r in range(rounds):
        try:
            st, row = call(catalog, "POST", "/rest/v1/training_configs", token, {"name": f"pgb-{r}", "user_id": uid}, "return=representation")
            assert st == 201 and row[0]["user_id"] == uid, f"insert {st} {row}"
            mine.add(row[0]["id"])
            st, row = call(catalog, "POST", "/api/training-configs", token, {"name": f"pgb-api-{r}", "num_epochs": 2})
            assert st == 201 and row["user_id"] == uid, f"api insert {st} {row}"
            mine.add(row["id"])
            st, rows = call(catalog, "GET", "/rest/v1/training_configs?select=id,user_id,is_system", token)
            assert st == 200, f"list {st} {rows}"
            others = [x for x in rows if not x["is_system"] and x["user_id"] != uid]
            assert not others, f"saw another user's rows: {others[:2]}"
            assert mine <= {x["id"] for x in rows}, "own rows missing"
            st, page = call(catalog, "GET", "/api/training-configs?limit=100", token)
            assert st == 200 and all(x["is_system"] or x["user_id"] == uid for x in page["items"]), f"api list {st}"
            st, me = call(auth, "GET", "/auth/v1/user", token)
            assert st == 200 and me["id"] == uid, f"user {st} {me}"
            st, prof = call(auth, "GET", "/rest/v1/profiles?select=id", token)
            assert st == 200 and [p["id"] for p in prof] == [uid], f"profiles {st} {prof}"
            with lock: counts["requests"] += 6
        except Exception as e:  # noqa: BLE001
            with lock: errors.append(f"user {uid[:8]} round {r}: {e}")
threads = [threading.Thread(target=work, args=u) for u in users]
for t in threads: t.start()
for t in threads: t.join(timeout=240)
print(json.dumps({"users": len(users), "requests": counts["requests"], "errors": errors[:10], "error_count": len(errors),
                  "hung": sum(t.is_alive() for t in threads)}))
PY
kill "$POLLER" 2>/dev/null
res="$(tail -n 1 "$WORK/rls.out")"
echo "# $res"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d["users"] == 8 and d["error_count"] == 0 and d["hung"] == 0 and d["requests"] == 8*12*6 else 1)' "$res" 2>/dev/null \
  && line ok "8 users × 12 rounds at once through 2 server connections: every answer holds only the caller's rows and id" \
  || { line fail "concurrent cross-user RLS checks through the pooler"; tail -n 5 "$WORK/rls.out"; }
# SHOW POOLS columns: database|user|cl_active|cl_waiting|...|sv_active|sv_idle|sv_used|sv_tested|sv_login|maxwait|...
python3 - "$WORK/pools.log" <<'PY' >"$WORK/pools.txt"
import sys
cl = sv = 0
for line in open(sys.argv[1]):
    f = line.strip().split("|")
    if len(f) < 9: continue
    clients = int(f[2]) + int(f[3])
    servers = sum(int(x) for x in f[5:10] if x.isdigit())
    cl, sv = max(cl, clients), max(sv, servers)
print(cl, sv)
PY
read -r max_clients max_servers <"$WORK/pools.txt"
[ "${max_clients:-0}" -gt 2 ] && [ "${max_servers:-9}" -le 2 ] && grep -q '"error_count": 0' "$WORK/rls.out" \
  && line ok "pgbouncer multiplexed them: up to $max_clients client connections over at most $max_servers server connections" \
  || line fail "pooling visible in SHOW POOLS (clients ${max_clients:-?}, servers ${max_servers:-?})"
finish
