#!/usr/bin/env bash
# Read path (SPEC §13): GET /api/jobs?limit=20 and GET /rest/v1/jobs?order=created_at.desc&limit=20
# through the gateway with wrk (8 connections, 15 s, every request a different user's token, 1,000
# users × 20 jobs), against the baseline pgbench running the same SQL transaction (set_config role +
# claims as CallerTransactions does, then the very statement the service sends - checked against PostgreSQL's
# log before measuring) with 8 clients for 15 s. Ratio last.
#
# Usage: bench/read-path.sh          (needs the started suite, wrk, pgbench; root for psql -U postgres)
# Env: GATEWAY_URL (http://127.0.0.1:8080), DURATION (15s), WARMUP (10s, unmeasured, per path), CONNECTIONS (8), THREADS (2),
#      DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD (the services' login role), SUPABASE_JWT_SECRET,
#      BENCH_KEEP_SEED=1 keeps the 1,000 seeded users (deleted at the end otherwise; jobs and profiles cascade),
#      BENCH_WORK (/tmp/slmgen-bench-read: tokens and scripts), PG_LOG (the server log the statement check reads;
#      default Debian's /var/log/postgresql/postgresql-*-main.log), BENCH_SKIP_SQL_CHECK=1 (skip that check), JOBS_PID (jobs-service's pid: also prints its CPU
#      ms per request during each wrk run, utime+stime from /proc - the figure that survives a noisy machine).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
GATEWAY="${GATEWAY_URL:-http://127.0.0.1:8080}"
DURATION="${DURATION:-15s}" CONNECTIONS="${CONNECTIONS:-8}" THREADS="${THREADS:-2}"
DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_NAME="${DB_NAME:-slmgen}"
DB_USER="${DB_USER:-slmgen}" DB_PASSWORD="${DB_PASSWORD:-slmgen}"
SECRET="${SUPABASE_JWT_SECRET:-super-secret-jwt-token-with-at-least-32-characters-long}"
WORK="${BENCH_WORK:-/tmp/slmgen-bench-read}"; mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk"; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench missing (postgresql client package)"; exit 1; }
su_psql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "${PG_SUPERUSER:-postgres}" -d "$DB_NAME" "$@"; }

# ---- seed: 1,000 users (auth.users → profiles by the trigger) × 20 jobs, deterministic ids, as superuser
uid_sql="('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid"
if [ "$(su_psql -c "select count(*) from auth.users where email like 'bench-%@bench.test'")" != 1000 ]; then
  echo "seeding 1,000 users × 20 jobs"
  su_psql <<SQL
delete from auth.users where email like 'bench-%@bench.test';
insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select $uid_sql, 'authenticated', 'authenticated', 'bench-' || n || '@bench.test', '', now(),
       '{"provider":"email","providers":["email"]}', '{}', now(), now()
from generate_series(1, 1000) n
on conflict (id) do nothing;
insert into public.profiles (id, email) select $uid_sql, 'bench-' || n || '@bench.test' from generate_series(1, 1000) n
on conflict (id) do nothing;
insert into public.jobs (user_id, session_id, dataset_filename, dataset_path, total_examples, total_tokens, quality_score,
                         task_type, deployment_target, selected_model_id, selected_model_name, model_score,
                         training_config, notebook_filename, notebook_path, status, created_at)
select $uid_sql, 'bench-' || n || '-' || j, 'data.jsonl', $uid_sql || '/bench/data.jsonl', 100 + j, 5000 + j, 0.9,
       'qa', 'cloud', 'llama32', 'Llama 3.2 3B', 88.5, '{"num_epochs": 3, "learning_rate": 0.0002}',
       'nb.ipynb', $uid_sql || '/bench-' || j || '/nb.ipynb', 'created', now() - (j || ' minutes')::interval
from generate_series(1, 1000) n, generate_series(1, 20) j;
analyze public.jobs; analyze auth.users; analyze public.profiles;
SQL
fi

# ---- tokens, minted with the JWT secret (as auth-service would issue them)
python3 - "$SECRET" "$WORK/tokens.lua" <<'PY'
import base64, hashlib, hmac, json, sys, time
secret, out = sys.argv[1].encode(), sys.argv[2]
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b'=').decode()
def hs256(claims):
    h = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()); p = b64(json.dumps(claims).encode())
    return f"{h}.{p}." + b64(hmac.new(secret, f"{h}.{p}".encode(), hashlib.sha256).digest())
now = int(time.time())
anon = hs256({"iss": "supabase-demo", "role": "anon", "iat": 1700000000, "exp": 2000000000})
with open(out, "w") as f:
    f.write(f'anon = "{anon}"\ntokens = {{\n')
    for n in range(1, 1001):
        f.write('"' + hs256({"sub": f"00000000-0000-4000-8000-{n:012d}", "role": "authenticated", "aud": "authenticated",
                             "email": f"bench-{n}@bench.test", "iat": now, "exp": now + 3600,
                             "session_id": f"00000000-0000-4000-9000-{n:012d}", "aal": "aal1", "is_anonymous": False}) + '",\n')
    f.write('}\n')
PY
cat > "$WORK/rotate.lua" <<EOF
dofile("$WORK/tokens.lua")
local counter = 0
local threads = {}
function setup(thread) thread:set("offset", #threads * 500); table.insert(threads, thread) end
function init(args) counter = offset or 0 end
request = function()
  counter = counter + 1
  local t = tokens[(counter % #tokens) + 1]
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. t, ["apikey"] = anon })
end
EOF

# one request of each, so a broken path is noticed before measuring
tok=$(sed -n 3p "$WORK/tokens.lua" | tr -d '",'); anon=$(sed -n 1p "$WORK/tokens.lua" | cut -d'"' -f2)
for p in "/api/jobs?limit=20" "/rest/v1/jobs?order=created_at.desc&limit=20"; do
  body=$(curl -fsS "$GATEWAY$p" -H "Authorization: Bearer $tok" -H "apikey: $anon")
  n=$(printf '%s' "$body" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"] if isinstance(d, dict) else d))')
  [ "$n" = 20 ] || { echo "$p returned $n jobs, expected 20: $body" | head -c 400; exit 1; }
done

cpu_ticks() { [ -n "${JOBS_PID:-}" ] && awk '{print $14 + $15}' "/proc/$JOBS_PID/stat" || echo 0; }
wrk_rps() { # $1 path → requests/s (wrk's summary on stderr)
  local c0; c0=$(cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/rotate.lua" "$GATEWAY$1" >"$WORK/wrk.out" 2>&1
  sed -n '1,20p' "$WORK/wrk.out" >&2
  if [ -n "${JOBS_PID:-}" ]; then
    awk -v t="$(( $(cpu_ticks) - c0 ))" -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "jobs-service CPU %.3f ms/request\n", t * 1000 / hz / $1}' "$WORK/wrk.out" >&2
  fi
  awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out"
}

# ---- the same transactions for pgbench: the statements the services send, as PostgreSQL logs them
# (log_min_duration_statement=0): set_config with the token's claims as CallerTransactions does, then
# GET /api/jobs's one statement (JobRepository.LIST_JSON: page rendered to JSON + count) and
# shared-postgrest's statement for /rest/v1 (json_agg over the page). Keep these in step with the code:
# the check below compares them with what the services send.
# (the claims are built with json_build_object: pgbench would read ":false" in a JSON literal as a variable)
CLAIMS="json_build_object('sub', '00000000-0000-4000-8000-' || lpad(:n::text, 12, '0'), 'role', 'authenticated', 'aud', 'authenticated', 'email', 'bench-' || :n::text || '@bench.test', 'iat', 1795663542, 'exp', 1795667142, 'session_id', '00000000-0000-4000-9000-' || lpad(:n::text, 12, '0'), 'aal', 'aal1', 'is_anonymous', false)::text"
SET_CONFIG="select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $CLAIMS, true), set_config('request.jwt.claim.sub', '00000000-0000-4000-8000-' || lpad(:n::text, 12, '0'), true), set_config('request.jwt.claim.role', 'authenticated', true);"
TS() { echo "to_char($1 at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24\":\"MI\":\"SS.US\"+00:00\"')"; }
API_SQL="select convert_to(coalesce(json_agg(_s), '[]')::text, 'UTF8'), (select count(*) from public.jobs) from (select j.id, j.user_id, j.session_id, j.dataset_filename, j.dataset_path, j.total_examples, j.total_tokens, j.quality_score, j.task_type, j.deployment_target, j.selected_model_id, j.selected_model_name, j.model_score, j.training_config, j.notebook_filename, j.notebook_path, j.colab_url, j.status, $(TS j.created_at) as created_at, $(TS j.updated_at) as updated_at from public.jobs j order by j.created_at desc, j.id desc limit 20 offset 0) _s"
REST_COLS=""
for c in id user_id session_id dataset_filename dataset_path total_examples total_tokens quality_score task_type deployment_target selected_model_id selected_model_name model_score training_config notebook_filename notebook_path colab_url status created_at updated_at; do
  REST_COLS="$REST_COLS${REST_COLS:+, }_t.\"$c\" AS \"$c\""
done
REST_SQL="SELECT coalesce(json_agg(row_to_json(_s)), '[]')::text, count(*), NULL::bigint FROM (SELECT $REST_COLS FROM \"public\".\"jobs\" AS _t WHERE true ORDER BY _t.\"created_at\" DESC LIMIT 20) AS _s"
printf '\\set n random(1, 1000)\nBEGIN;\n%s\n%s;\nCOMMIT;\n' "$SET_CONFIG" "$API_SQL" >"$WORK/api.sql"
printf '\\set n random(1, 1000)\nBEGIN;\n%s\n%s;\nCOMMIT;\n' "$SET_CONFIG" "$REST_SQL" >"$WORK/rest.sql"

# the check: one request of each path with statement logging on; what PostgreSQL logged must contain
# the statements above (with /api's page bounds as parameters). Needs the server log readable here
# (Debian's /var/log/postgresql; PG_LOG=… elsewhere); BENCH_SKIP_SQL_CHECK=1 skips it.
if [ "${BENCH_SKIP_SQL_CHECK:-0}" != 1 ]; then
  PG_LOG="${PG_LOG:-$(ls -t /var/log/postgresql/postgresql-*-main.log 2>/dev/null | head -1)}"
  [ -r "$PG_LOG" ] || { echo "cannot read the PostgreSQL log (PG_LOG) to check the statements; BENCH_SKIP_SQL_CHECK=1 to skip"; exit 1; }
  from=$(stat -c %s "$PG_LOG")
  su_psql -c "alter system set log_min_duration_statement = 0" -c "select pg_reload_conf()" >/dev/null
  sleep 0.5
  for p in "/api/jobs?limit=20" "/rest/v1/jobs?order=created_at.desc&limit=20"; do
    # never exit between the two ALTER SYSTEMs: a failed request leaves the check to fail below
    curl -fsS -o /dev/null "$GATEWAY$p" -H "Authorization: Bearer $tok" -H "apikey: $anon" || true
  done
  su_psql -c "alter system reset log_min_duration_statement" -c "select pg_reload_conf()" >/dev/null
  logged=$(tail -c +"$((from + 1))" "$PG_LOG")
  for q in "${API_SQL/limit 20 offset 0/limit \$1 offset \$2}" "$REST_SQL"; do
    printf '%s' "$logged" | grep -qF -- "execute" || { echo "no statements logged in $PG_LOG"; exit 1; }
    printf '%s' "$logged" | grep -qF -- "$q" \
      || { echo "the services no longer send the statement pgbench runs; update bench/read-path.sh:"; echo "$q"; exit 1; }
  done
  echo "statements checked against PostgreSQL's log: pgbench runs what the services send" >&2
fi

pg_tps() { # $1 script → tps
  PGPASSWORD="$DB_PASSWORD" pgbench -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "${DURATION%s}" -f "$1" \
    -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$DB_NAME" >"$WORK/pgbench.out" 2>&1 || { cat "$WORK/pgbench.out" >&2; exit 1; }
  grep -E "latency average|^tps" "$WORK/pgbench.out" >&2
  awk '/^tps/ {print $3; exit}' "$WORK/pgbench.out"
}

# warm-up (JIT, pools), not measured: a freshly started JVM is several times slower for its first seconds
echo "== warm-up ${WARMUP:-10}s per path (not measured)" >&2
for p in "/api/jobs?limit=20" "/rest/v1/jobs?order=created_at.desc&limit=20"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-10}s" -s "$WORK/rotate.lua" "$GATEWAY$p" >/dev/null 2>&1
done

echo "== pgbench baseline: the /api/jobs transaction (set_config + page + count)" >&2
PG_API=$(pg_tps "$WORK/api.sql")
echo "== wrk GET /api/jobs?limit=20 (gateway → jobs-service)" >&2
API=$(wrk_rps "/api/jobs?limit=20")
echo "== pgbench baseline: the /rest/v1/jobs transaction (set_config + page)" >&2
PG_REST=$(pg_tps "$WORK/rest.sql")
echo "== wrk GET /rest/v1/jobs?order=created_at.desc&limit=20 (gateway → jobs-service, shared-postgrest)" >&2
REST=$(wrk_rps "/rest/v1/jobs?order=created_at.desc&limit=20")

# the seed goes again unless asked to stay (it is re-made in ~10 s)
[ "${BENCH_KEEP_SEED:-0}" = 1 ] || su_psql -c "delete from auth.users where email like 'bench-%@bench.test'" >/dev/null

echo
echo "date $(date -u +%FT%TZ)  nproc $(nproc)  connections $CONNECTIONS  duration $DURATION"
printf 'GET /api/jobs?limit=20                            %7.0f req/s   pgbench %7.0f tps   ratio %.2f (target >= 0.5)\n' "$API" "$PG_API" "$(python3 -c "print($API/$PG_API)")"
printf 'GET /rest/v1/jobs?order=created_at.desc&limit=20  %7.0f req/s   pgbench %7.0f tps   ratio %.2f (target >= 0.5)\n' "$REST" "$PG_REST" "$(python3 -c "print($REST/$PG_REST)")"
