#!/usr/bin/env bash
# Browser tests of the web UI: starts the real suite (Redis, the four services,
# the gateway serving gateway/web), creates a tenant and an admin key through
# the operator token, runs `node --test tests/browser/` against it with
# Debian's chromium (after module-graph.mjs, which checks that the UI's modules
# form no import cycle), then the generated-client test (tests/client/run.sh),
# stops what it started and exits non-zero when any of them failed.
#   bash tests/browser/run.sh [build dir=/work/main/build]
# SOCM_UI_SERVE=1 keeps the suite running (prints the URL and key) instead of
# running the tests, for working on the UI by hand; stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${1:-${SOCM_BUILD_DIR:-$ROOT/build}}
BUILD=$(cd "$BUILD" && pwd)
WORK=$(mktemp -d /tmp/socm-browser-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
show_logs() {
  for f in "$WORK"/*.log; do echo "--- $f"; tail -n 20 "$f"; done >&2
}

if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

token=browser-operator-token-0123456789
redis_port=$(free_port); cat_port=$(free_port); as_port=$(free_port)
sc_port=$(free_port); rep_port=$(free_port); http_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
# The suite's CA, a certificate per component and the principal key pair, as
# deploy/local/run.sh makes them.
keys=$WORK/keys
bash "$ROOT/deploy/local/make-keys.sh" "$keys"
export SOCM_TLS_CA_FILE=$keys/ca.crt SOCM_PRINCIPAL_PUBLIC_KEY_FILE=$keys/principal.pub
as() { ID=(--tls-cert-file="$keys/$1.crt" --tls-key-file="$keys/$1.key"); }
as catalogue
"$BUILD/services/catalogue/catalogue" "${ID[@]}" --grpc-port="$cat_port" --metrics-port=0 --redis-addr="127.0.0.1:$redis_port" \
  --database-url="sqlite:$WORK/catalogue.db" >"$WORK/catalogue.log" 2>&1 &
PIDS+=($!)
as assessment
"$BUILD/services/assessment/assessment" "${ID[@]}" --grpc-port="$as_port" --metrics-port=0 \
  --database-url="sqlite:$WORK/assessment.db" --catalogue-addr="127.0.0.1:$cat_port" \
  --webhook-allow-private-networks=true --allow-private-issuers=true --principal-key-file="$keys/principal.key" \
  >"$WORK/assessment.log" 2>&1 &
PIDS+=($!)
as scoring
"$BUILD/services/scoring/scoring" "${ID[@]}" --grpc-port="$sc_port" --metrics-port=0 \
  --assessment-addr="127.0.0.1:$as_port" --catalogue-addr="127.0.0.1:$cat_port" >"$WORK/scoring.log" 2>&1 &
PIDS+=($!)
as reporting
"$BUILD/services/reporting/reporting" "${ID[@]}" --grpc-port="$rep_port" --metrics-port=0 \
  --assessment-addr="127.0.0.1:$as_port" --catalogue-addr="127.0.0.1:$cat_port" \
  --redis-addr="127.0.0.1:$redis_port" >"$WORK/reporting.log" 2>&1 &
rep_pid=$!
sleep 0.3
if ! kill -0 "$rep_pid" 2>/dev/null; then
  # A reporting skeleton without those flags: start it bare, its routes answer 501.
  echo "reporting does not take --assessment-addr yet; starting it without" >&2
  "$BUILD/services/reporting/reporting" --grpc-port="$rep_port" --metrics-port=0 >"$WORK/reporting.log" 2>&1 &
  rep_pid=$!
fi
PIDS+=("$rep_pid")
as gateway
"$BUILD/gateway/gateway" "${ID[@]}" --http-port="$http_port" --metrics-port=0 --operator-token="$token" --rate-limit-per-second=0 \
  --redis-addr="127.0.0.1:$redis_port" --catalogue-addr="127.0.0.1:$cat_port" \
  --assessment-addr="127.0.0.1:$as_port" --scoring-addr="127.0.0.1:$sc_port" \
  --reporting-addr="127.0.0.1:$rep_port" --web-dir="$ROOT/gateway/web" \
  --principal-key-file="$keys/principal.key" --secret-key-file="$keys/secrets.key" \
  --public-url="http://localhost:$http_port" --allow-private-issuers=true \
  --operator-link-file="$WORK/operator-link" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
api=http://127.0.0.1:$http_port
for _ in $(seq 100); do curl -sf "$api/readyz?all=true" >/dev/null && break; sleep 0.1; done
if ! curl -sf "$api/" >/dev/null; then
  echo "the gateway does not serve the web UI at $api/" >&2
  show_logs
  exit 1
fi
tenant=$(curl -sf -H "Authorization: Bearer $token" -d '{"displayName":"browser tests"}' "$api/v1/tenants" | json_field id)
key=$(curl -sf -H "Authorization: Bearer $token" -d '{"role":"admin"}' "$api/v1/tenants/$tenant/apiKeys" | json_field key)
export SOCM_UI_URL=$api SOCM_UI_KEY=$key SOCM_UI_TENANT=$tenant SOCM_UI_OPERATOR=$token
export SOCM_UI_OPERATOR_LINK_FILE=$WORK/operator-link

if [ "${SOCM_UI_SERVE:-}" = 1 ]; then
  echo "SOCM_UI_URL=$api"
  echo "SOCM_UI_KEY=$key"
  echo "SOCM_UI_TENANT=$tenant"
  echo "SOCM_UI_OPERATOR=$token"
  echo "logs in $WORK; Ctrl-C stops"
  wait
  exit 0
fi

status=0
node tests/browser/module-graph.mjs || status=$?
node --test --test-concurrency=1 tests/browser/ || status=$?
# A client generated from the document, against the same suite.
SOCM_BUILD_DIR=$BUILD bash tests/client/run.sh || status=$?
if [ "$status" != 0 ]; then show_logs; fi
exit "$status"
