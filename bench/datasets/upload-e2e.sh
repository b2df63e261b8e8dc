#!/usr/bin/env bash
# End-to-end upload benchmark (SPEC §13): POST /api/datasets (raw application/x-ndjson body: upload +
# analysis + storage through storage-service) against `cp` of the same file on the same disk.
# Target: >= 100 MB/s, datasets-service RSS flat (it runs at -Xmx256m) for a 1 GB file.
#
# Usage: bench/datasets/upload-e2e.sh [SIZE_MB]     (default 100; MB = 10^6 bytes; 1024 for the "1 GB" run)
#
# Starts everything it needs and stops it again: its own database (DB_NAME, default slmgen_bench_upload,
# created with deploy/scripts/db-init.sh, dropped at the end) in the local PostgreSQL, auth-service,
# jobs-service (datasets' schema slice references public.jobs), storage-service and datasets-service on
# SLMGEN_PORT_BASE+1..+5 (default 18381-18385; no gateway), STORAGE_ROOT in a temp dir next to the file.
# Uses the jars in */target/quarkus-app when they exist, else builds them (./mvnw package -DskipTests).
# Environment: BENCH_DIR (temp dir, same disk for file, copy and STORAGE_ROOT), WARMUP_MB (default
# min(SIZE_MB, 100): one upload of that size before the measured ones; 0 = none), REPEAT (default 3: measured uploads in the
# same JVMs; the best and the median are reported), KEEP_LOGS=1, BENCH_FILE / WARMUP_FILE (reuse files written by
# gen.py earlier instead of generating them; kept), SLMGEN_PORT_BASE and DB_NAME (see above).
set -euo pipefail
SIZE_MB=${1:-100}
WARMUP_MB=${WARMUP_MB:-$(( SIZE_MB < 100 ? SIZE_MB : 100 ))}
export SLMGEN_PORT_BASE=${SLMGEN_PORT_BASE:-18380}
export DB_NAME=${DB_NAME:-slmgen_bench_upload}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../deploy/scripts/lib.sh"   # ROOT, service URLs from SLMGEN_PORT_BASE, DB_*, su_psql, log
BENCH_DIR=${BENCH_DIR:-$(mktemp -d)}; mkdir -p "$BENCH_DIR"
export STORAGE_ROOT="$BENCH_DIR/storage-root"
export SUPABASE_URL="http://127.0.0.1:$GATEWAY_PORT"
export SUPABASE_JWT_SECRET=${SUPABASE_JWT_SECRET:-super-secret-jwt-token-with-at-least-32-characters-long}
LOGS="$BENCH_DIR/logs"
mkdir -p "$STORAGE_ROOT" "$LOGS"

# ---- build only when a jar is missing
SVCS="auth-service jobs-service storage-service datasets-service"
missing=0
for s in $SVCS; do [ -f "$ROOT/$s/target/quarkus-app/quarkus-run.jar" ] || missing=1; done
if [ $missing = 1 ]; then
  log "building (./mvnw package -DskipTests)"
  (cd "$ROOT" && { ./mvnw -B -q -o package -DskipTests -pl datasets-service,storage-service,auth-service,jobs-service -am \
    || ./mvnw -B -q package -DskipTests -pl datasets-service,storage-service,auth-service,jobs-service -am; })
fi

# ---- cleanup: only what this script started
PIDS=()
SAMPLER=
cleanup() {
  set +e
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$p" 2>/dev/null
  done
  su_psql -d postgres -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 \
    && log "dropped database $DB_NAME"
  if [ "${KEEP_LOGS:-0}" = 1 ]; then
    rm -rf "$STORAGE_ROOT" "$BENCH_DIR"/*.jsonl; log "logs kept in $LOGS"
  else
    rm -rf "$BENCH_DIR"
  fi
}
trap cleanup EXIT

# ---- database: fresh, with db-init.sh's roles and owner
eval "$(bash "$ROOT/deploy/scripts/ensure-postgres.sh")"
su_psql -d postgres -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null
bash "$ROOT/deploy/scripts/db-init.sh"

# ---- services
declare -A PID
start() {  # svc port java-opts
  PORT="$2" java $3 -jar "$ROOT/$1/target/quarkus-app/quarkus-run.jar" >"$LOGS/$1.log" 2>&1 &
  PID[$1]=$!; PIDS+=($!)
  log "started $1 on :$2 (pid $!)"
}
start auth-service "${AUTH_SERVICE_URL##*:}" "-Xmx256m"
start jobs-service "${JOBS_SERVICE_URL##*:}" "-Xmx256m"
start storage-service "${STORAGE_SERVICE_URL##*:}" "-Xmx256m"
start datasets-service "${DATASETS_SERVICE_URL##*:}" "-Xmx256m"

# ---- the test file, meanwhile
# (BENCH_FILE / WARMUP_FILE: reuse files gen.py wrote before - generating 1 GB takes minutes - they are not deleted)
FILE=${BENCH_FILE:-$BENCH_DIR/bench.jsonl}
[ -n "${BENCH_FILE:-}" ] || python3 "$HERE/gen.py" "$FILE" "$SIZE_MB" >/dev/null
BYTES=$(stat -c %s "$FILE")
WARMUP=${WARMUP_FILE:-$BENCH_DIR/warmup.jsonl}
if [ "$WARMUP_MB" != 0 ] && [ -z "${WARMUP_FILE:-}" ]; then python3 "$HERE/gen.py" "$WARMUP" "$WARMUP_MB" >/dev/null; fi

deadline=$((SECONDS + ${READY_TIMEOUT:-240}))
for s in $SVCS; do
  url_var=$(echo "${s%-service}" | tr a-z A-Z)_SERVICE_URL
  until curl -fsS "${!url_var}/q/health/ready" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "${PID[$s]}" 2>/dev/null; then
      echo "$s is not ready; log tail:" >&2; tail -n 40 "$LOGS/$s.log" >&2; exit 1
    fi
    sleep 1
  done
done
log "all services ready"

# ---- a user, through auth-service (anon key minted as deploy/scripts/keys.sh does)
ANON=$(bash "$ROOT/deploy/scripts/keys.sh" | sed -n 's/^SUPABASE_ANON_KEY=//p')
EMAIL="bench-$(date +%s)-$$@example.com"
TOKEN=$(curl -fsS -X POST "$AUTH_SERVICE_URL/auth/v1/signup" -H "apikey: $ANON" -H "Content-Type: application/json" \
  -d "{\"email\":\"$EMAIL\",\"password\":\"bench-password-123\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
log "signed up $EMAIL"

now() { date +%s.%N; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, clock ticks
TICK=$(getconf CLK_TCK)
threads() {  # pid -> "tid ticks name" per thread (to see which threads burn the CPU)
  python3 - "$1" <<'PY'
import os, sys
d = f"/proc/{sys.argv[1]}/task"
for t in os.listdir(d):
    try:
        s = open(f"{d}/{t}/stat").read()
    except OSError:
        continue
    name = s[s.index("(") + 1:s.rindex(")")]
    f = s[s.rindex(")") + 2:].split()
    print(t, int(f[11]) + int(f[12]), name)
PY
}
upload() {  # file -> prints the HTTP status; body in $BENCH_DIR/resp.json; curl's CPU s in $BENCH_DIR/curl-cpu
  command time -f "%U %S" -o "$BENCH_DIR/curl-cpu" curl -sS -o "$BENCH_DIR/resp.json" -w '%{http_code}' -X POST -T "$1" \
    -H "apikey: $ANON" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-ndjson" \
    "$DATASETS_SERVICE_URL/api/datasets?filename=bench.jsonl"
}

if [ "$WARMUP_MB" != 0 ]; then
  code=$(upload "$WARMUP")
  [ "$code" = 201 ] || [ "$code" = 200 ] || { echo "warm-up upload answered $code: $(head -c 500 "$BENCH_DIR/resp.json")" >&2; exit 1; }
  log "warm-up upload of ${WARMUP_MB} MB done"
fi

# ---- baseline: cp of the same file on the same disk (+ sync: storage-service fsyncs what it stores)
sync
t0=$(now); cp "$FILE" "$BENCH_DIR/copy.jsonl"; t1=$(now); sync; t2=$(now)
rm -f "$BENCH_DIR/copy.jsonl"; sync

# ---- the measured uploads (REPEAT in the same JVMs), RSS sampled from /proc every 100 ms, CPU per process
# and per thread; each stored dataset is deleted again (outside the timing)
DS=${PID[datasets-service]}; ST=${PID[storage-service]}
echo "$(awk '/VmRSS/{print $2}' "/proc/$DS/status") $(awk '/VmHWM/{print $2}' "/proc/$DS/status") $(awk '/VmRSS/{print $2}' "/proc/$ST/status") $(awk '/VmHWM/{print $2}' "/proc/$ST/status")" >"$BENCH_DIR/mem-before"
( while :; do
    echo "$(date +%s.%N) $(awk '/VmRSS/{print $2}' "/proc/$DS/status") $(awk '/VmRSS/{print $2}' "/proc/$ST/status")"
    sleep 0.1
  done ) >"$BENCH_DIR/rss.txt" 2>/dev/null &
SAMPLER=$!
machine() { awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }   # busy idle (ticks, all cores)
: >"$BENCH_DIR/runs"
for run in $(seq 1 "${REPEAT:-3}"); do
  threads "$DS" >"$BENCH_DIR/thr-ds0"; threads "$ST" >"$BENCH_DIR/thr-st0"
  m0=$(machine); c_ds0=$(cpu_of "$DS"); c_st0=$(cpu_of "$ST"); load0=$(cut -d' ' -f1 /proc/loadavg)
  t3=$(now)
  code=$(upload "$FILE")
  t4=$(now)
  m1=$(machine); c_ds1=$(cpu_of "$DS"); c_st1=$(cpu_of "$ST"); load1=$(cut -d' ' -f1 /proc/loadavg)
  threads "$DS" >"$BENCH_DIR/thr-ds1"; threads "$ST" >"$BENCH_DIR/thr-st1"
  if [ "$code" != 201 ] && [ "$code" != 200 ]; then
    echo "upload answered $code: $(head -c 500 "$BENCH_DIR/resp.json")" >&2; exit 1
  fi
  find "$STORAGE_ROOT" -type f -size "${BYTES}c" | grep -q . \
    || { echo "stored object of $BYTES bytes not found under STORAGE_ROOT" >&2; exit 1; }
  read -r EXAMPLES ID < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["total_examples"], d["id"])' "$BENCH_DIR/resp.json")
  echo "$t3 $t4 $c_ds0 $c_ds1 $c_st0 $c_st1 $m0 $m1 $load0 $load1 $EXAMPLES $(awk '{print $1 + $2}' "$BENCH_DIR/curl-cpu")" >>"$BENCH_DIR/runs"
  for tag in ds st; do cp "$BENCH_DIR/thr-${tag}0" "$BENCH_DIR/thr-${tag}0.$run"; cp "$BENCH_DIR/thr-${tag}1" "$BENCH_DIR/thr-${tag}1.$run"; done
  curl -fsS -o /dev/null -X DELETE -H "apikey: $ANON" -H "Authorization: Bearer $TOKEN" "$DATASETS_SERVICE_URL/api/datasets/$ID"
done
kill "$SAMPLER" 2>/dev/null; SAMPLER=
echo "$(awk '/VmHWM/{print $2}' "/proc/$DS/status") $(awk '/VmHWM/{print $2}' "/proc/$ST/status")" >"$BENCH_DIR/mem-after"

python3 - "$BENCH_DIR" "$BYTES" "$t0" "$t1" "$t2" "$TICK" "$(nproc)" "$WARMUP_MB" <<'PY'
import sys, re, collections, statistics
bench, size, t0, t1, t2, tick, ncpu, warm = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:6]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
mb = size / 1e6
r_cp, r_cps = mb / (t1 - t0), mb / (t2 - t0)
def threads(tag, run):
    def load(f):
        out = {}
        for l in open(f):
            tid, ticks, name = l.rstrip("\n").split(" ", 2)
            out[tid] = (int(ticks), name)
        return out
    b, e = load(f"{bench}/thr-{tag}0.{run}"), load(f"{bench}/thr-{tag}1.{run}")
    by = collections.Counter()
    for tid, (ticks, name) in e.items():
        by[re.sub(r"[-#\s]*\d+$", "", name)] += ticks - b.get(tid, (0, name))[0]
    return ", ".join(f"{n} {t / tick:.2f}" for n, t in by.most_common(4) if t > 0)
print()
print(f"file: {size} bytes ({mb:.1f} MB); nproc {ncpu}; warm-up upload of {warm} MB before the measured ones")
rates = []
for i, line in enumerate(open(f"{bench}/runs"), 1):
    f = line.split()
    t3, t4 = float(f[0]), float(f[1])
    c_ds, c_st = (int(f[3]) - int(f[2])) / tick, (int(f[5]) - int(f[4])) / tick
    busy, idle = (int(f[8]) - int(f[6])) / tick, (int(f[9]) - int(f[7])) / tick
    wall = t4 - t3; r = mb / wall; rates.append(r)
    print(f"run {i}: {r:6.1f} MB/s ({wall:.2f} s), {f[12]} examples; load {f[10]} -> {f[11]}; machine busy {100 * busy / (busy + idle):.0f} %; "
          f"CPU s: datasets-service {c_ds:.2f} ({100 * c_ds / wall:.0f} % of a core; {mb / c_ds:.0f} MB per CPU-s), "
          f"storage-service {c_st:.2f} ({100 * c_st / wall:.0f} %), curl {float(f[13]):.2f}")
    print(f"       datasets-service threads (CPU s): {threads('ds', i)}")
    print(f"       storage-service threads (CPU s): {threads('st', i)}")
rss_b_ds, hwm_b_ds, rss_b_st, hwm_b_st = (int(x) // 1024 for x in open(f"{bench}/mem-before").read().split())
hwm_ds, hwm_st = (int(x) // 1024 for x in open(f"{bench}/mem-after").read().split())
peak_ds = max(int(l.split()[1]) for l in open(f"{bench}/rss.txt") if len(l.split()) == 3) // 1024
peak_st = max(int(l.split()[2]) for l in open(f"{bench}/rss.txt") if len(l.split()) == 3) // 1024
print(f"datasets-service RSS (-Xmx256m): before {rss_b_ds} MiB, sampled peak {peak_ds} MiB, VmHWM {hwm_b_ds} -> {hwm_ds} MiB")
print(f"storage-service  RSS (-Xmx256m): before {rss_b_st} MiB, sampled peak {peak_st} MiB, VmHWM {hwm_b_st} -> {hwm_st} MiB")
best, med = max(rates), statistics.median(rates)
print(f"cp (page cache):  {r_cp:8.1f} MB/s ({t1 - t0:.2f} s)")
print(f"cp + sync:        {r_cps:8.1f} MB/s ({t2 - t0:.2f} s)   <- baseline (storage-service fsyncs what it stores)")
print(f"POST /api/datasets: best {best:.1f} MB/s, median {med:.1f} MB/s of {len(rates)}   target >= 100 MB/s: {'met' if best >= 100 else 'NOT met'}")
print(f"ratio upload / (cp + sync) = {best / r_cps:.3f} (best), {med / r_cps:.3f} (median);   upload / cp = {best / r_cp:.3f} (best)")
PY
