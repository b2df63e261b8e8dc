#!/usr/bin/env bash
# Container healthcheck without curl: GET /q/health/ready on the service's port over bash's /dev/tcp.
# The port is PORT (SPEC §2) or the module's default.
set -u
case "${SLMGEN_MODULE:-}" in
  auth-service) def=8081 ;; catalog-service) def=8082 ;; datasets-service) def=8083 ;;
  jobs-service) def=8084 ;; storage-service) def=8085 ;; *) def=8080 ;;
esac
port="${PORT:-$def}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r -t 3 status_line <&3 || exit 1
exec 3<&-
case "$status_line" in
  HTTP/*" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
