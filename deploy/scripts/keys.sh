#!/usr/bin/env bash
# Prints the anon and service_role API keys for SUPABASE_JWT_SECRET (HS256 JWTs, as Supabase's are).
# Without SUPABASE_JWT_SECRET: the keys of Supabase's public demo secret, which is what start-local.sh then
# runs on (with SLMGEN_ALLOW_DEMO_SECRET=true and a warning); never for anything shared.
set -euo pipefail
secret="${SUPABASE_JWT_SECRET:-super-secret-jwt-token-with-at-least-32-characters-long}"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
mint() {
  local header payload sig
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"supabase-demo","role":"%s","iat":%s,"exp":%s}' "$1" 1700000000 2000000000 | b64url)
  sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$sig"
}
echo "SUPABASE_ANON_KEY=$(mint anon)"
echo "SUPABASE_SERVICE_KEY=$(mint service_role)"
