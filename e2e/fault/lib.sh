# Shared by the fault-injection scripts: where the started suite lives, tokens, psql, restarts, checks.
# SUITE_ROOT = the checkout whose deploy/scripts/start-local.sh started the suite (default: this repo).
FAULT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUITE_ROOT="${SUITE_ROOT:-$(cd "$FAULT_DIR/../.." && pwd)}"
source "$SUITE_ROOT/deploy/scripts/lib.sh"   # ROOT, RUN_DIR, SERVICES, DB_*, su_psql, log
GATEWAY="${GATEWAY_URL:-http://127.0.0.1:${GATEWAY_PORT:-8080}}"
export GATEWAY_URL="$GATEWAY"
STORAGE_ROOT_DIR="${STORAGE_ROOT:-$RUN_DIR/storage}"
PG_VERSION="${PG_VERSION:-15}" PG_CLUSTER="${PG_CLUSTER:-main}"
SECRET="${SUPABASE_JWT_SECRET:-super-secret-jwt-token-with-at-least-32-characters-long}"
WORK="${FAULT_WORK:-/tmp/slmgen-fault}"
mkdir -p "$WORK"

PASSED=0 FAILED=0
pass() { PASSED=$((PASSED + 1)); printf '  ok   %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL %s\n' "$*"; }
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
summary() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; }

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
jwt() {
  local header payload sig
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '%s' "$1" | b64url)
  sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$sig"
}
ANON_KEY=$(jwt '{"iss":"supabase-demo","role":"anon","iat":1700000000,"exp":2000000000}')
SERVICE_KEY=$(jwt '{"iss":"supabase-demo","role":"service_role","iat":1700000000,"exp":2000000000}')
export ANON_KEY SERVICE_KEY

q() { su_psql -d "$DB_NAME" -At -c "$1"; }
port_of() { local e; for e in $SERVICES; do [ "${e%%:*}" = "$1" ] && echo "${e##*:}"; done; }
pid_of() { cat "$RUN_DIR/pids/$1.pid" 2>/dev/null; }
ready() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(port_of "$1")/q/health/ready")" = 200 ]; }

# Signs up a user through the gateway; prints "id token". A random X-Forwarded-For keeps the runs off
# the caller's sign-up rate limit.
signup() {
  local email="$1-$(cat /proc/sys/kernel/random/uuid | cut -c1-8)@example.test" out
  out=$(curl -s -m 20 "$GATEWAY/auth/v1/signup" -H "apikey: $ANON_KEY" -H 'content-type: application/json' \
    -H "x-forwarded-for: 10.$((RANDOM % 250)).$((RANDOM % 250)).$((RANDOM % 250))" \
    -d "{\"email\":\"$email\",\"password\":\"correct-horse-battery-staple\"}")
  python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print(s["user"]["id"], s["access_token"])' "$out"
}

# Starts whatever is not running with the suite's own command (start-local.sh starts only the services
# whose pid is gone, reuses the build, and waits until every service is ready).
restore_suite() {
  SKIP_BUILD=1 bash "$SUITE_ROOT/deploy/scripts/start-local.sh" >"$WORK/restart.log" 2>&1
}
ensure_postgres_up() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online \
    || pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
}

# Consistency (SPEC §14), as the superuser. $1 = SQL condition on storage.objects o restricting the
# objects checked in the object → row direction (objects uploaded straight through /storage/v1
# legitimately have no row); $2 = SQL condition on a row r (datasets or jobs) restricting the rows
# checked in the row → object direction (a client may insert a dataset row for an object it has not
# uploaded, SPEC §15: only the fault run's own rows are this run's business).
consistency() {
  local owners="${1:-true}" rows="${2:-true}" n
  n=$(q "select count(*) from public.datasets r where ($rows) and r.storage_path is not null and not exists
         (select 1 from storage.objects o where o.bucket_id = 'datasets' and o.name = r.storage_path)")
  check "every dataset row has its object in storage.objects ($n without)" [ "$n" = 0 ]
  n=$(q "select count(*) from public.jobs r where ($rows) and not exists
         (select 1 from storage.objects o where o.bucket_id = 'notebooks' and o.name = r.notebook_path)")
  check "every job has its notebook object ($n without)" [ "$n" = 0 ]
  n=$(q "select count(*) from storage.objects o where o.bucket_id = 'datasets' and ($owners)
         and not exists (select 1 from public.datasets d where d.storage_path = o.name)")
  check "no dataset object without its row ($n orphaned)" [ "$n" = 0 ]
  n=$(q "select count(*) from storage.objects o where o.bucket_id = 'notebooks' and ($owners)
         and not exists (select 1 from public.jobs j where j.notebook_path = o.name)")
  check "no notebook object without its job ($n orphaned)" [ "$n" = 0 ]
  n=$(q "select count(*) from public.datasets d where d.job_id is not null and not exists (select 1 from public.jobs j where j.id = d.job_id)")
  check "no dataset linked to a missing job ($n)" [ "$n" = 0 ]
}

# The number of consistency violations (0 when consistency() would pass), without reporting.
consistency_violations() {
  local owners="${1:-true}" rows="${2:-true}"
  q "select (select count(*) from public.datasets r where ($rows) and r.storage_path is not null and not exists
             (select 1 from storage.objects o where o.bucket_id = 'datasets' and o.name = r.storage_path))
          + (select count(*) from public.jobs r where ($rows) and not exists
             (select 1 from storage.objects o where o.bucket_id = 'notebooks' and o.name = r.notebook_path))
          + (select count(*) from storage.objects o where o.bucket_id = 'datasets' and ($owners)
             and not exists (select 1 from public.datasets d where d.storage_path = o.name))
          + (select count(*) from storage.objects o where o.bucket_id = 'notebooks' and ($owners)
             and not exists (select 1 from public.jobs j where j.notebook_path = o.name))
          + (select count(*) from public.datasets d where d.job_id is not null and not exists (select 1 from public.jobs j where j.id = d.job_id))"
}

# Removes a fault user's jobs, datasets and objects through the API, then the user (service key).
cleanup_user() {
  local u="$1" t="$2" kind bucket names n
  # through the API (each delete removes its objects too), four at a time: a load run leaves hundreds
  for kind in jobs datasets; do
    q "select id from public.$kind where user_id='$u'" | xargs -r -P 4 -I{} \
      curl -s -o /dev/null -X DELETE "$GATEWAY/api/$kind/{}" -H "authorization: Bearer $t" -H "apikey: $ANON_KEY"
  done
  # raw uploads of the load (deleted by the load itself, except while the database was down)
  for bucket in datasets notebooks avatars; do
    n=0
    while [ $n -lt 30 ] && { n=$((n + 1)); names=$(q "select json_agg(name) from (select name from storage.objects where bucket_id='$bucket' and name like '$u/%' limit 100) x"); [ -n "$names" ]; }; do
      curl -s -o /dev/null -X DELETE "$GATEWAY/storage/v1/object/$bucket" -H "authorization: Bearer $SERVICE_KEY" -H "apikey: $SERVICE_KEY" \
        -H 'content-type: application/json' -d "{\"prefixes\": $names}" || break
    done
  done
  q "delete from public.jobs where user_id='$u'; delete from public.training_configs where user_id='$u'" >/dev/null
  curl -s -o /dev/null -X DELETE "$GATEWAY/auth/v1/admin/users/$u" -H "authorization: Bearer $SERVICE_KEY" -H "apikey: $SERVICE_KEY"
}
