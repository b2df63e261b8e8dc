#!/usr/bin/env bash
# Storage throughput (SPEC §13): upload and download a 1 GiB object through storage-service and compare
# with cp / cat of the same file on the same disk, in the same run. Prints MB/s and the ratios (target ≥ 0.7).
#
# Usage: bench/storage/upload-download.sh [size_mib]
#   STORAGE_URL (default http://127.0.0.1:8085) must point at a running storage-service whose
#   STORAGE_ROOT is on the same disk as BENCH_DIR (default: a temp dir next to it).
#   SUPABASE_JWT_SECRET signs the test user's token (default: the local development secret).
set -euo pipefail
SIZE_MIB=${1:-1024}
STORAGE_URL=${STORAGE_URL:-http://127.0.0.1:8085}
SECRET=${SUPABASE_JWT_SECRET:-super-secret-jwt-token-with-at-least-32-characters-long}
BENCH_DIR=${BENCH_DIR:-$(mktemp -d)}; mkdir -p "$BENCH_DIR"
trap 'rm -rf "$BENCH_DIR"' EXIT

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
jwt() {
  local header payload sig
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '%s' "$1" | b64url)
  sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$sig"
}
now=$(date +%s)
USER_ID=$(cat /proc/sys/kernel/random/uuid)
TOKEN=$(jwt "{\"sub\":\"$USER_ID\",\"role\":\"authenticated\",\"aud\":\"authenticated\",\"iat\":$now,\"exp\":$((now+3600))}")
ANON=$(jwt "{\"role\":\"anon\",\"iss\":\"supabase\",\"iat\":$now,\"exp\":$((now+3600))}")

SRC="$BENCH_DIR/src.jsonl"
echo "preparing ${SIZE_MIB} MiB test file in $BENCH_DIR"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$SRC"
sync

secs() { python3 -c "import time; print(time.time())"; }
rate() { python3 -c "print(f'{$SIZE_MIB * 1.048576 / ($2 - $1):.1f}')"; }

t0=$(secs); cp "$SRC" "$BENCH_DIR/copy.jsonl"; sync; t1=$(secs)
CP=$(rate "$t0" "$t1")
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(secs); cat "$BENCH_DIR/copy.jsonl" > /dev/null; t1=$(secs)
CAT=$(rate "$t0" "$t1")

OBJ="$STORAGE_URL/storage/v1/object/datasets/$USER_ID/bench/src.jsonl"
t0=$(secs)
curl -sf -o /dev/null -X POST -H "apikey: $ANON" -H "Authorization: Bearer $TOKEN" \
  -H "Content-Type: application/x-ndjson" -H "Transfer-Encoding: chunked" -T "$SRC" "$OBJ"
t1=$(secs)
UP=$(rate "$t0" "$t1")
# the same upload from a client that costs (almost) no CPU: sendfile(2), Content-Length, as a service streams it
SF=$(python3 "$(dirname "$0")/sendfile-upload.py" "$STORAGE_URL/storage/v1/object/datasets/$USER_ID/bench/sf.jsonl" "$SRC" \
  application/x-ndjson "apikey: $ANON" "Authorization: Bearer $TOKEN")
SFUP=$(python3 -c "print(f'{$SIZE_MIB * 1.048576 / $SF:.1f}')")
curl -sf -o /dev/null -X DELETE -H "apikey: $ANON" -H "Authorization: Bearer $TOKEN" "$STORAGE_URL/storage/v1/object/datasets/$USER_ID/bench/sf.jsonl" || true
# one core's whole-file MD5 rate: the ceiling of the old ETag (whole-object MD5); the ETag is now S3's
# multipart one for objects > 8 MiB, its 8 MiB parts hashed in parallel, so uploads may exceed it
t0=$(secs); openssl dgst -md5 "$SRC" > /dev/null; t1=$(secs)
MD5=$(rate "$t0" "$t1")
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(secs)
curl -sf -o /dev/null -H "apikey: $ANON" -H "Authorization: Bearer $TOKEN" "$STORAGE_URL/storage/v1/object/authenticated/datasets/$USER_ID/bench/src.jsonl"
t1=$(secs)
DOWN=$(rate "$t0" "$t1")
curl -sf -o /dev/null -X DELETE -H "apikey: $ANON" -H "Authorization: Bearer $TOKEN" "$OBJ" || true

echo "cp:       $CP MB/s"
echo "upload:   $UP MB/s   ratio upload/cp   = $(python3 -c "print(f'{$UP/$CP:.2f}')") (target >= 0.7)"
echo "upload (sendfile client): $SFUP MB/s   ratio = $(python3 -c "print(f'{$SFUP/$CP:.2f}')")"
echo "md5 (openssl, 1 core): $MD5 MB/s   ratio md5/cp = $(python3 -c "print(f'{$MD5/$CP:.2f}')") (ceiling of a whole-file-MD5 ETag, no longer ours)"
echo "cat:      $CAT MB/s"
echo "download: $DOWN MB/s   ratio download/cat = $(python3 -c "print(f'{$DOWN/$CAT:.2f}')") (target >= 0.7)"
