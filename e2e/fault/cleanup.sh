#!/usr/bin/env bash
# Removes every user the fault scripts made (fault-*@example.test) with their jobs, datasets and objects.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
now=$(date +%s)
for u in $(q "select id from auth.users where email like 'fault-%@example.test'"); do
  cleanup_user "$u" "$(jwt "{\"sub\":\"$u\",\"role\":\"authenticated\",\"aud\":\"authenticated\",\"iat\":$now,\"exp\":$((now + 600))}")"
  log "removed fault user $u"
done
