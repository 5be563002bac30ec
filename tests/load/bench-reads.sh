#!/usr/bin/env bash
# Measures read throughput through the gateway with wrk, the whole suite on
# this machine on SQLite: a warm (cached) GET …/score, GET of the catalogue
# and GET of the assessment. Prints one RESULT line per route. Not part of tests/run.sh.
#   bash tests/load/bench-reads.sh [seconds=15] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${SOCM_BUILD_DIR:-$ROOT/build}
DURATION=${1:-15}
CONNECTIONS=${2:-64}
WORK=$(mktemp -d /tmp/socm-bench-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

token=bench-operator-token-0123456789
redis_port=$(free_port); cat_port=$(free_port); as_port=$(free_port); sc_port=$(free_port); http_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
"$BUILD/services/catalogue/catalogue" --grpc-port="$cat_port" --metrics-port=0 --redis-addr="127.0.0.1:$redis_port" \
  --database-url="sqlite:$WORK/catalogue.db" >"$WORK/catalogue.log" 2>&1 &
PIDS+=($!)
"$BUILD/services/assessment/assessment" --grpc-port="$as_port" --metrics-port=0 \
  --database-url="sqlite:$WORK/assessment.db" --catalogue-addr="127.0.0.1:$cat_port" >"$WORK/assessment.log" 2>&1 &
PIDS+=($!)
"$BUILD/services/scoring/scoring" --grpc-port="$sc_port" --metrics-port=0 \
  --assessment-addr="127.0.0.1:$as_port" --catalogue-addr="127.0.0.1:$cat_port" >"$WORK/scoring.log" 2>&1 &
PIDS+=($!)
"$BUILD/gateway/gateway" --http-port="$http_port" --operator-token="$token" --rate-limit-per-second=0 \
  --redis-addr="127.0.0.1:$redis_port" --catalogue-addr="127.0.0.1:$cat_port" \
  --assessment-addr="127.0.0.1:$as_port" --scoring-addr="127.0.0.1:$sc_port" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
api=http://127.0.0.1:$http_port
for _ in $(seq 100); do curl -sf "$api/healthz" >/dev/null && break; sleep 0.1; done
sleep 0.5
tenant=$(curl -sf -H "Authorization: Bearer $token" -d '{"displayName":"bench"}' "$api/v1/tenants" | json_field id)
key=$(curl -sf -H "Authorization: Bearer $token" -d '{"role":"admin"}' "$api/v1/tenants/$tenant/apiKeys" | json_field key)
org=$(curl -sf -H "Authorization: Bearer $key" -d '{"displayName":"bench org"}' "$api/v1/organizations" | json_field id)
id=$(curl -sf -H "Authorization: Bearer $key" \
  -d '{"catalogueId":"isogj-soc-csirt","title":"bench","assessedOn":"2026-11-26"}' \
  "$api/v1/organizations/$org/assessments" | json_field id)
body=$(curl -sf -H "Authorization: Bearer $key" "$api/v1/catalogues/isogj-soc-csirt" | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
print(json.dumps({"answers": [{"roleCode": r["code"], "inSource": (i % 5) + 1}
                              for i, r in enumerate(x for f in c["functions"] for x in f["roles"])]}))')
curl -sf -H "Authorization: Bearer $key" -d "$body" "$api/v1/organizations/$org/assessments/$id/answers:batchUpdate" >/dev/null
base=/v1/organizations/$org/assessments/$id
curl -sf -H "Authorization: Bearer $key" "$api$base/score" >"$WORK/score.json"
echo "score body: $(wc -c <"$WORK/score.json") bytes"
for route in "$base/score" "$base" "/v1/catalogues/isogj-soc-csirt?lang=en"; do
  echo "== GET $route, $CONNECTIONS connections, ${DURATION}s"
  SOCM_KEY=$key SOCM_PATH=$route wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s tests/load/get.lua "$api" | grep RESULT
done
