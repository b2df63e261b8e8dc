#!/usr/bin/env bash
# Interleaved sendfile uploads against several running storage-services, with each service's CPU
# seconds (utime+stime from /proc/<pid>/stat, less sensitive to a noisy shared machine than wall time)
# and a `cp` of the same file right before each upload.
#
# Usage: bench/storage/interleave.sh SIZE_MIB REPS NAME=URL=PID [NAME=URL=PID ...]
#   e.g. interleave.sh 512 5 before=http://127.0.0.1:18501=1234 after=http://127.0.0.1:18502=5678
set -euo pipefail
SIZE_MIB=$1; REPS=$2; shift 2
SECRET=${SUPABASE_JWT_SECRET:-super-secret-jwt-token-with-at-least-32-characters-long}
DIR=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$DIR"' EXIT
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
jwt() {
  local h p s
  h=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url); p=$(printf '%s' "$1" | b64url)
  s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64url)
  printf '%s.%s.%s' "$h" "$p" "$s"
}
now=$(date +%s); USER_ID=$(cat /proc/sys/kernel/random/uuid)
TOKEN=$(jwt "{\"sub\":\"$USER_ID\",\"role\":\"authenticated\",\"aud\":\"authenticated\",\"iat\":$now,\"exp\":$((now+3600))}")
ANON=$(jwt "{\"role\":\"anon\",\"iss\":\"supabase\",\"iat\":$now,\"exp\":$((now+3600))}")
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$DIR/src"; sync
cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
now_s() { python3 -c "import time; print(time.time())"; }
echo "name rep cp_MBps upload_MBps ratio wall_s service_cpu_s load1"
for rep in $(seq 1 "$REPS"); do
  for spec in "$@"; do
    name=${spec%%=*}; rest=${spec#*=}; url=${rest%=*}; pid=${rest##*=}
    t0=$(now_s); cp "$DIR/src" "$DIR/copy"; sync; t1=$(now_s); rm -f "$DIR/copy"
    cp_rate=$(python3 -c "print(f'{$SIZE_MIB * 1.048576 / ($t1 - $t0):.0f}')")
    c0=$(cpu "$pid")
    secs=$(python3 "$(dirname "$0")/sendfile-upload.py" "$url/storage/v1/object/datasets/$USER_ID/il/$name-$rep" "$DIR/src" \
      application/x-ndjson "apikey: $ANON" "Authorization: Bearer $TOKEN")
    c1=$(cpu "$pid")
    curl -sf -o /dev/null -X DELETE -H "apikey: $ANON" -H "Authorization: Bearer $TOKEN" \
      "$url/storage/v1/object/datasets/$USER_ID/il/$name-$rep" || true
    python3 -c "r=$SIZE_MIB*1.048576/$secs; print(f'$name $rep $cp_rate {r:.0f} {r/$cp_rate:.2f} {$secs:.2f} {$c1-$c0:.2f} $(cut -d' ' -f1 /proc/loadavg)')"
  done
done
