#!/usr/bin/env bash
# Measures single-answer PUT throughput and latency through the gateway with
# wrk, on SQLite and on PostgreSQL, each with the whole suite running on this
# machine. Prints one RESULT line per engine. Not part of tests/run.sh.
#   bash tests/load/bench-writes.sh [seconds=20] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${SOCM_BUILD_DIR:-$ROOT/build}
DURATION=${1:-20}
CONNECTIONS=${2:-16}
WORK=$(mktemp -d /tmp/socm-bench-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${SOCM_TEST_POSTGRES_DIR:-}" ] && bash tests/start-postgres.sh stop "$SOCM_TEST_POSTGRES_DIR" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

run_engine() {  # engine database-url
  local engine=$1 url=$2 token=bench-operator-token-0123456789
  local cat_port as_port http_port
  cat_port=$(free_port); as_port=$(free_port); http_port=$(free_port)
  local catalogue_url=$url
  [ "$engine" = sqlite ] && catalogue_url=sqlite:$WORK/$engine-catalogue.db
  "$BUILD/services/catalogue/catalogue" --grpc-port="$cat_port" --metrics-port=0 \
    --database-url="$catalogue_url" >"$WORK/$engine-catalogue.log" 2>&1 &
  PIDS+=($!)
  "$BUILD/services/assessment/assessment" --grpc-port="$as_port" --metrics-port=0 \
    --database-url="$url" --catalogue-addr="127.0.0.1:$cat_port" >"$WORK/$engine-assessment.log" 2>&1 &
  PIDS+=($!)
  "$BUILD/gateway/gateway" --http-port="$http_port" --operator-token="$token" --rate-limit-per-second=0 \
    --catalogue-addr="127.0.0.1:$cat_port" --assessment-addr="127.0.0.1:$as_port" >"$WORK/$engine-gateway.log" 2>&1 &
  PIDS+=($!)
  local api=http://127.0.0.1:$http_port
  for _ in $(seq 100); do curl -sf "$api/healthz" >/dev/null && break; sleep 0.1; done
  sleep 0.5
  local tenant key org id
  tenant=$(curl -sf -H "Authorization: Bearer $token" -d '{"displayName":"bench"}' "$api/v1/tenants" | json_field id)
  key=$(curl -sf -H "Authorization: Bearer $token" -d '{"role":"admin"}' "$api/v1/tenants/$tenant/apiKeys" | json_field key)
  org=$(curl -sf -H "Authorization: Bearer $key" -d '{"displayName":"bench org"}' "$api/v1/organizations" | json_field id)
  id=$(curl -sf -H "Authorization: Bearer $key" \
    -d '{"catalogueId":"isogj-soc-csirt","title":"bench","assessedOn":"2026-11-26"}' \
    "$api/v1/organizations/$org/assessments" | json_field id)
  echo "== $engine: PUT answer, $CONNECTIONS connections, ${DURATION}s"
  SOCM_KEY=$key SOCM_PATH=/v1/organizations/$org/assessments/$id/answers \
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s tests/load/put_answer.lua "$api" | grep -E 'RESULT|Latency|Requests/sec'
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

run_engine sqlite "sqlite:$WORK/sqlite-assessment.db"
# The benchmark's cluster keeps fsync on: the figures must include durable commits.
eval "$(SOCM_PG_DURABILITY=on bash tests/start-postgres.sh)"
run_engine postgres "$SOCM_TEST_POSTGRES_URL"
