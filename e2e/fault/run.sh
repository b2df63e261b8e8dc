#!/usr/bin/env bash
# Fault injection against the started suite (SPEC §14). Restores everything it breaks; bounded; exits
# non-zero on any failure, last line "N passed, M failed".
#   e2e/fault/run.sh [pg|kill|all|replicas]      (default all; ~2-3 minutes)
#   replicas: needs the suite started with SLMGEN_REPLICAS=2; does not touch PostgreSQL (≈ 2 minutes)
# Env: SUITE_ROOT (checkout that started the suite; default this repo), GATEWAY_URL, PG_VERSION/PG_CLUSTER
# (15/main), FAULT_WORK (/tmp/slmgen-fault), FAULT_BIG_MB (size of the killed uploads, 300).
# Needs: the suite started by deploy/scripts/start-local.sh, root (pg_ctlcluster), node ≥ 20, curl, openssl.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
WHAT="${1:-all}"
RUN_STARTED=$(q "select now()")
trap 'ensure_postgres_up >/dev/null 2>&1; restore_suite || true' EXIT

curl -fsS -m 5 "$GATEWAY/gateway/health" >/dev/null || { echo "the suite is not running at $GATEWAY"; echo "0 passed, 1 failed"; exit 1; }
for e in $SERVICES; do ready "${e%%:*}" || { echo "${e%%:*} is not ready"; echo "0 passed, 1 failed"; exit 1; }; done

read -r U1 T1 < <(signup fault-a); read -r U2 T2 < <(signup fault-b)
[ -n "${T1:-}" ] && [ -n "${T2:-}" ] || { echo "could not sign up the fault users"; echo "0 passed, 1 failed"; exit 1; }
# objects of the fault users or made during the run, except the load's raw uploads (no row by design)
OWNERS="(o.owner_id in ('$U1','$U2') or o.created_at >= '$RUN_STARTED') and o.name not like '%/fault-load/%'"
# rows of the fault users or made during the run (other suites' seed-style rows may name no object)
ROWS="r.user_id in ('$U1','$U2') or r.created_at >= '$RUN_STARTED'"

# Polls readiness and liveness of every service (one loop each, every 0.25 s) into $1 until $2 exists.
# A poll that times out (3 s) is recorded as 000.
poll_health() {
  local out="$1" stop="$2" e
  for e in $SERVICES; do
    ( svc="${e%%:*}"; port="${e##*:}"
      while [ ! -e "$stop" ]; do
        r=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready")
        l=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$port/q/health/live")
        echo "$(date +%s.%N) $svc $r $l" >>"$out"
        sleep 0.25
      done ) &
  done
  wait
}

# One real database-backed request per service; prints the services that do not answer 200 yet.
not_serving() {
  local auth="authorization: Bearer $T1" k="apikey: $ANON_KEY" p code
  for p in /auth/v1/user /api/models /api/datasets /api/jobs "/storage/v1/object/list/avatars"; do
    if [[ $p == /storage/* ]]; then
      code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' -X POST "$GATEWAY$p" -H "$auth" -H "$k" -H 'content-type: application/json' -d "{\"prefix\":\"$U1\"}")
    else
      code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$GATEWAY$p" -H "$auth" -H "$k")
    fi
    [ "$code" = 200 ] || printf '%s=%s ' "$p" "$code"
  done
}

pg_fault() {
  echo "== (a) PostgreSQL restarted, then stopped for ${PG_DOWN_SECONDS:-6} s, under mixed load through the gateway"
  local health="$WORK/health.log" stop="$WORK/health.stop" t_stop t_start t_back load_out="$WORK/load.json"
  rm -f "$health" "$stop"
  poll_health "$health" "$stop" & local poller=$!
  USERS="$U1 $T1;$U2 $T2" timeout 120 node "$FAULT_DIR/load.mjs" "${LOAD_SECONDS:-30}" "$load_out" >"$WORK/load.out" 2>&1 & local loader=$!
  sleep 4
  log "pg_ctlcluster restart"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" restart
  sleep 6
  log "pg_ctlcluster stop (held ${PG_DOWN_SECONDS:-6} s)"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" stop -m fast
  # from when PostgreSQL is really down: a fast stop still writes a shutdown checkpoint, which under
  # the load can take more than the second of grace the readiness check allows
  t_stop=$(date +%s.%N)
  sleep "${PG_DOWN_SECONDS:-6}"
  t_start=$(date +%s.%N)
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
  log "PostgreSQL back; waiting for every service to serve"
  local left waited=0
  while left=$(not_serving); [ -n "$left" ] && [ $waited -lt 60 ]; do sleep 0.5; waited=$((waited + 1)); done
  t_back=$(date +%s.%N)
  local secs; secs=$(python3 -c "print(round($t_back - $t_start, 1))")
  check "every service serves again ${secs} s after PostgreSQL is back, without a restart${left:+ (still failing: $left)}" [ -z "$left" ]
  for e in $SERVICES; do
    local pidfile="$RUN_DIR/pids/${e%%:*}.pid"
    check "${e%%:*} kept its process" test -n "$(pid_of "${e%%:*}")" -a -d "/proc/$(pid_of "${e%%:*}")"
  done
  wait "$loader"; touch "$stop"; wait "$poller"
  cat "$WORK/load.out"
  local bad; bad=$(python3 -c "import json; print(json.load(open('$load_out'))['bad'])" 2>/dev/null || echo missing)
  check "under the load only 2xx/4xx, retriable 503 JSON or connection errors (bad answers: $bad)" [ "$bad" = 0 ]
  local retr; retr=$(python3 -c "import json; print(json.load(open('$load_out'))['retriable'])" 2>/dev/null || echo 0)
  check "the outage was seen by the load ($retr retriable answers)" [ "${retr:-0}" -gt 0 ]
  # readiness DOWN while the database was down, liveness UP throughout
  python3 - "$health" "$t_stop" "$t_start" "$SERVICES" >"$WORK/health.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
t_stop, t_start = float(sys.argv[2]), float(sys.argv[3])
for e in sys.argv[4].split():
    svc = e.split(':')[0]
    mine = [r for r in rows if r[1] == svc]
    down = [r for r in mine if t_stop + 1.0 < float(r[0]) < t_start]
    not_ready = sum(1 for r in down if r[2] != '200')
    live_bad = [r for r in mine if r[3] != '200']
    print(svc, len(down), not_ready, len(live_bad), ','.join(sorted({r[3] for r in live_bad})))
PY
  while read -r svc n nr lb codes; do
    check "$svc readiness DOWN while PostgreSQL was stopped ($nr of $n polls not ready)" [ "$n" -gt 0 -a "$nr" = "$n" ]
    check "$svc liveness UP throughout ($lb polls failed${codes:+: $codes})" [ "$lb" = 0 ]
  done <"$WORK/health.txt"
  q "delete from public.training_configs where user_id in ('$U1','$U2')" >/dev/null
}

big_file() {
  local f="$WORK/big-${FAULT_BIG_MB:-300}.jsonl"
  [ -s "$f" ] || python3 "$ROOT/bench/datasets/gen.py" "$f" "${FAULT_BIG_MB:-300}" >/dev/null 2>&1 \
    || python3 "$FAULT_DIR/../../bench/datasets/gen.py" "$f" "${FAULT_BIG_MB:-300}" >/dev/null
  echo "$f"
}

# SIGKILLs service $1 once $2 (a file) exists or after $3 seconds; prints the killed pid.
kill_service() {
  local svc="$1" pid; pid=$(pid_of "$svc")
  kill -KILL "$pid" 2>/dev/null && log "SIGKILL $svc (pid $pid)"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

tmp_files() { find "$STORAGE_ROOT_DIR/tmp" -type f 2>/dev/null | wc -l; }

kill_fault() {
  local big; big=$(big_file)
  echo "== (b1) storage-service SIGKILLed during a ${FAULT_BIG_MB:-300} MB upload through the gateway"
  local name="$U1/fault-kill-$(date +%s).jsonl"
  curl -s -o "$WORK/b1.out" -m 120 -X POST "$GATEWAY/storage/v1/object/datasets/$name" -H "authorization: Bearer $T1" \
    -H "apikey: $ANON_KEY" -H 'content-type: application/x-ndjson' --limit-rate 50M --data-binary @"$big" & local up=$!
  local staged=0 w=0
  while staged=$(tmp_files); [ "$staged" = 0 ] && [ $w -lt 100 ]; do sleep 0.1; w=$((w + 1)); done
  sleep 1
  kill_service storage-service
  wait "$up"
  check "a staged file existed mid-upload ($staged in tmp/)" [ "$staged" -gt 0 ]
  sleep 2
  # the suite's own start command; staged files older than STORAGE_STALE_TEMP_AGE are swept at start
  STORAGE_STALE_TEMP_AGE="${FAULT_STALE_TEMP_AGE:-1s}" restore_suite
  check "storage-service ready again after restart" ready storage-service
  sleep 3
  check "temp files swept after the restart ($(tmp_files) left in $STORAGE_ROOT_DIR/tmp)" [ "$(tmp_files)" = 0 ]
  check "no object row for the interrupted upload" [ "$(q "select count(*) from storage.objects where bucket_id='datasets' and name='$name'")" = 0 ]
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/storage/v1/object/info/datasets/$name" -H "authorization: Bearer $T1" -H "apikey: $ANON_KEY")
  check "the interrupted object is not visible (info → $code)" [ "$code" = 400 -o "$code" = 404 ]

  echo "== (b2) datasets-service SIGKILLed during a ${FAULT_BIG_MB:-300} MB POST /api/datasets"
  local before; before=$(q "select count(*) from public.datasets where user_id='$U1'")
  curl -s -o "$WORK/b2.out" -m 120 -X POST "$GATEWAY/api/datasets?filename=fault-kill.jsonl" -H "authorization: Bearer $T1" \
    -H "apikey: $ANON_KEY" -H 'content-type: application/x-ndjson' --limit-rate 50M --data-binary @"$big" & up=$!
  w=0
  while staged=$(tmp_files); [ "$staged" = 0 ] && [ $w -lt 100 ]; do sleep 0.1; w=$((w + 1)); done
  sleep 1
  kill_service datasets-service
  wait "$up"
  log "staged files in storage tmp/ at the kill: $staged"
  sleep 3
  check "storage dropped the half-received dataset bytes without any restart ($(tmp_files) left in tmp/)" [ "$(tmp_files)" = 0 ]
  restore_suite
  check "datasets-service ready again after restart" ready datasets-service
  check "no dataset row from the interrupted upload" [ "$(q "select count(*) from public.datasets where user_id='$U1'")" = "$before" ]
  check "no dataset object from the interrupted upload" [ "$(q "select count(*) from storage.objects where bucket_id='datasets' and owner_id='$U1' and name like '%fault-kill.jsonl'")" = 0 ]

  echo "== (b3) jobs-service SIGKILLed during job creation (${FAULT_JOBS:-24} creations in flight, ${FAULT_KILL_ROUNDS:-3} rounds)"
  local round
  for round in $(seq 1 "${FAULT_KILL_ROUNDS:-3}"); do
    USERS="$U2 $T2" node "$FAULT_DIR/jobs-kill.mjs" "${FAULT_JOBS:-24}" "$WORK/jobs-$round.json" >"$WORK/jobs-$round.out" 2>&1 & local creator=$!
    # kill as soon as the first creation succeeded: the others are then at every step (before the
    # commit, between the commit and the notebook upload, after it)
    rm -f "$WORK/jobs-$round.json.first201"
    local w=0; while [ ! -e "$WORK/jobs-$round.json.first201" ] && [ $w -lt 900 ]; do sleep 0.05; w=$((w + 1)); done
    kill_service jobs-service
    wait "$creator"; cat "$WORK/jobs-$round.out"
    local made; made=$(python3 -c "import json; d=json.load(open('$WORK/jobs-$round.json')); print(d['datasets'], sum(v for k, v in d['tally'].items() if k != '201'))" 2>/dev/null)
    made=${made:-0 0}
    check "the kill hit creations in flight (datasets uploaded, creations not answered 201: $made)" [ "${made#* }" -gt 0 ]
    restore_suite
    check "jobs-service ready again after restart (round $round)" ready jobs-service
    # a creation cut short is compensated by jobs-service's sweeper once its marker is older than
    # JOBS_CREATION_TIMEOUT (test-all sets it to a few seconds): wait up to FAULT_COMPENSATION_WAIT
    local seen hidden id c tries=0
    while :; do
      seen=$(curl -s "$GATEWAY/api/jobs?limit=100" -H "authorization: Bearer $T2" -H "apikey: $ANON_KEY" \
        | python3 -c 'import json,sys; print(" ".join(j["id"] for j in json.load(sys.stdin)["items"]))')
      hidden=0
      for id in $seen; do
        c=$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/api/jobs/$id/notebook" -H "authorization: Bearer $T2" -H "apikey: $ANON_KEY")
        [ "$c" = 200 ] || [ "$c" = 302 ] || hidden=$((hidden + 1))
      done
      [ "$hidden" = 0 ] || [ $tries -ge "${FAULT_COMPENSATION_WAIT:-30}" ] && break
      tries=$((tries + 1)); sleep 1
    done
    [ "$hidden" = 0 ] || log "jobs listed without their notebook after ${tries}s: $hidden"
    check "every job visible after the restart (and compensation, ${tries}s) has its notebook (round $round; $(echo $seen | wc -w) jobs, $hidden without)" [ "$hidden" = 0 ]
    rm -f "$WORK/jobs-$round.json.creating" "$WORK/jobs-$round.json.first201"
  done
}

# ---- replicas (SPEC §14): under load, one replica of each service is SIGKILLed and restarted, twice (the
# second copies, then the first ones, so the restarted copies must carry everything): only requests in
# flight on a killed process may fail, with a retriable status; an SSE viewer reconnecting with
# Last-Event-ID misses no event; nothing is lost or half-made.
kill_replicas() { # which: "-2" (second copies) or "" (first copies); appends "epoch_ms name" to $KILLS
  local which="$1" svc name pid
  for svc in $SERVICE_NAMES; do
    name="$svc$which"; pid=$(pid_of "$name")
    [ -n "$pid" ] || { fail "$name has a pid file"; continue; }
    echo "$(date +%s%3N) $name" >>"$KILLS"
    kill -KILL "$pid" 2>/dev/null && log "SIGKILL $name (pid $pid)"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    sleep "${FAULT_KILL_GAP:-1}"
  done
}

# every instance answers its readiness check with 200; one busy with the load may be slow to answer (up to
# five tries of 5 s each); the one that is not ready is named
all_ready() {
  local e n
  for e in $INSTANCES; do
    n=0
    until curl -fs -m 5 -o /dev/null "http://127.0.0.1:${e##*:}/q/health/ready"; do
      n=$((n + 1)); [ $n -lt 5 ] || { log "${e%%:*} is not ready: $(curl -s -m 5 "http://127.0.0.1:${e##*:}/q/health/ready" | head -c 300)"; return 1; }
      sleep 1
    done
  done
}

replicas_fault() {
  echo "== (r) one replica of each service SIGKILLed under load and restarted, twice (second copies, then first)"
  if [ "${REPLICAS:-1}" != 2 ]; then fail "the suite runs with SLMGEN_REPLICAS=2 (it runs with ${REPLICAS:-1})"; return; fi
  KILLS="$WORK/kills.txt" STOP="$WORK/replicas.stop"
  rm -f "$KILLS" "$STOP" "$WORK/replicas-load.json" "$WORK/sse.json"
  # a job whose progress is reported and watched throughout
  local job; job=$(python3 - "$GATEWAY" "$ANON_KEY" "$T1" <<'PY'
import json, sys, urllib.request
gw, anon, tok = sys.argv[1:4]
h = {"apikey": anon, "authorization": "Bearer " + tok}
lines = "".join(json.dumps({"messages": [{"role": "user", "content": f"q {i}?"}, {"role": "assistant", "content": f"a {i}."}]}) + "\n" for i in range(60))
r = urllib.request.urlopen(urllib.request.Request(gw + "/api/datasets?filename=fault-sse.jsonl", data=lines.encode(), method="POST",
                           headers={**h, "content-type": "application/x-ndjson"}), timeout=60)
ds = json.load(r)["id"]
r = urllib.request.urlopen(urllib.request.Request(gw + "/api/jobs", method="POST", headers={**h, "content-type": "application/json"},
                           data=json.dumps({"dataset_id": ds, "task_type": "qa", "deployment_target": "cloud"}).encode()), timeout=60)
j = json.load(r)
print(j["id"], j["job_secret"])
PY
)
  local job_id="${job%% *}" job_secret="${job##* }"
  [ -n "$job_id" ] && [ "$job_id" != "$job_secret" ] || { fail "a job for the SSE viewer could be created"; return; }
  JOB_ID="$job_id" JOB_SECRET="$job_secret" USER_TOKEN="$T1" STOP_FILE="$STOP" \
    timeout 900 node "$FAULT_DIR/sse-follow.mjs" "$WORK/sse.json" >"$WORK/sse.out" 2>&1 & local viewer=$!
  USERS="$U1 $T1;$U2 $T2" LOAD_MODE=replicas LOAD_STOP_FILE="$STOP" LOAD_CONNECTIONS="${LOAD_CONNECTIONS:-6}" \
    timeout 900 node "$FAULT_DIR/load.mjs" 880 "$WORK/replicas-load.json" >"$WORK/replicas-load.out" 2>&1 & local loader=$!
  sleep "${FAULT_WARMUP:-4}"
  local round which before
  for round in 1 2; do
    which=$([ $round = 1 ] && echo "-2" || echo "")
    kill_replicas "$which"
    sleep 2
    log "restarting the killed replicas"
    # one by one, each ready before the next starts (as a rollout brings pods back): five JVM start-ups at
    # once would take the two cores from the replicas serving the load. Not at a lower CPU priority: a
    # niceness stays with the process, so a restarted replica would serve its share of the load starved of
    # CPU for the rest of the run (a request routed to it hung past the load's timeout)
    SKIP_BUILD=1 START_ONE_BY_ONE=1 bash "$SUITE_ROOT/deploy/scripts/start-local.sh" >"$WORK/restart-$round.log" 2>&1 \
      || { log "start-local.sh failed (round $round):"; tail -n 15 "$WORK/restart-$round.log"; }
    check "every instance ready again after restart (round $round)" all_ready
    sleep "${FAULT_SETTLE:-4}"
  done
  touch "$STOP"
  wait "$loader"; wait "$viewer"
  cat "$WORK/replicas-load.out" "$WORK/sse.out"
  # every non-ok answer must be one the kill cut: in flight at the kill (started before it, answered after
  # it), or sent within FAULT_DISCOVERY_MS (2 s) after it on a connection the gateway or balancer had kept
  # alive to the dead process (a proxy learns of a SIGKILLed peer only when it writes to it, and then must
  # not resend a POST/PATCH: the answer is its retriable 502 JSON)
  python3 - "$WORK/replicas-load.json" "$KILLS" "${FAULT_DISCOVERY_MS:-2000}" >"$WORK/replicas-check.txt" <<'PY'
import json, sys
load = json.load(open(sys.argv[1]))
kills = [int(l.split()[0]) for l in open(sys.argv[2]) if l.strip()]
grace = int(sys.argv[3])
outside = [f for f in load["failures"] if not any(f["start"] - grace <= k <= f["end"] + 50 for k in kills)]
print(load["ok"], load["retriable"], load["bad"], len(load["failures"]), len(outside))
for f in outside[:5]:
    print("  outside any kill:", f["method"], f["path"], f["status"], f["body"][:100])
for f in load["badSamples"][:5]:
    print("  bad:", f["method"], f["path"], f["status"], f["ms"], "ms", f["body"][:100])
PY
  local ok retr bad nfail outside
  read -r ok retr bad nfail outside < <(head -n 1 "$WORK/replicas-check.txt")
  tail -n +2 "$WORK/replicas-check.txt"
  check "the load ran across both kills ($ok ok answers)" [ "${ok:-0}" -gt 100 ]
  check "no bad answer under the kills (500, non-JSON 5xx, hang): ${bad:-?}" [ "${bad:-1}" = 0 ]
  check "every failed request ($nfail, all retriable) was cut by a kill (${outside:-?} were not)" [ "${outside:-1}" = 0 ]
  # the SSE viewer: every acknowledged step received, the events exactly those stored, in order, once
  # the stream's event ids are the job's event sequence numbers (job_events.seq)
  local stored; stored=$(q "select coalesce(string_agg(seq::text, ' ' order by seq), '') from public.job_events where job_id = '$job_id'")
  python3 - "$WORK/sse.json" "$stored" >"$WORK/sse-check.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
stored = sys.argv[2].split()
ids = [e["id"] for e in r["received"]]
steps = {e["step"] for e in r["received"]}
missing = [s for s in r["acked"] if s not in steps]
print(len(r["acked"]), len(ids), len(stored), r["reconnects"], len(missing), int(ids == stored), int(len(ids) == len(set(ids))))
PY
  local acked got nstored reconnects missing same unique
  read -r acked got nstored reconnects missing same unique <"$WORK/sse-check.txt"
  check "the SSE viewer was cut by the kills and reconnected with Last-Event-ID (${reconnects:-0} reconnects)" [ "${reconnects:-0}" -ge 1 ]
  check "every acknowledged event reached the viewer (${acked:-0} acknowledged, ${missing:-?} missing)" [ "${missing:-1}" = 0 -a "${acked:-0}" -gt 20 ]
  check "the viewer got exactly the stored events, in order, each once (${got:-0} received, ${nstored:-0} stored)" [ "${same:-0}" = 1 -a "${unique:-0}" = 1 ]
  # creations cut short by a kill are compensated by the surviving replica's sweeper (JOBS_CREATION_TIMEOUT)
  local waited=0
  while [ $waited -lt "${FAULT_COMPENSATION_WAIT:-60}" ] && [ "$(consistency_violations "$OWNERS" "$ROWS")" != 0 ]; do sleep 1; waited=$((waited + 1)); done
  log "waited ${waited}s for the compensations (consistency_violations: $(consistency_violations "$OWNERS" "$ROWS"))"
}

ensure_postgres_up
case "$WHAT" in
  pg) pg_fault ;;
  kill) kill_fault ;;
  all) pg_fault; kill_fault ;;
  replicas) replicas_fault ;;
  *) echo "usage: run.sh [pg|kill|all|replicas]"; exit 2 ;;
esac
echo "== consistency (SQL as the superuser)"
consistency "$OWNERS" "$ROWS"
cleanup_user "$U1" "$T1"; cleanup_user "$U2" "$T2"
trap - EXIT
ensure_postgres_up; restore_suite || fail "the suite could not be restored (see $WORK/restart.log)"
summary
