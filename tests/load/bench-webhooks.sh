#!/usr/bin/env bash
# Webhook delivery latency from commit to the receiver at a steady event rate (issue 15: p99
# <= 1 s at 100 events a second), the suite on SQLite (synchronous=FULL) or, with "postgres",
# on PostgreSQL with fsync on; the reference is a direct POST to the same receiver in the same
# run. Not part of tests/run.sh.
#   bash tests/load/bench-webhooks.sh [sqlite|postgres] [rate=100] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ENGINE=${1:-sqlite}
RATE=${2:-100}
SECONDS_=${3:-30}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
# The receiver is on loopback.
ASSESSMENT_ARGS="--webhook-allow-private-networks=true ${WEBHOOK_ARGS:-}"
if [ "$ENGINE" = postgres ]; then
  eval "$(SOCM_PG_DURABILITY=on bash tests/start-postgres.sh)"
  trap 'cleanup; bash tests/start-postgres.sh stop "$SOCM_TEST_POSTGRES_DIR" >/dev/null 2>&1' EXIT
  start_stack "$SOCM_TEST_POSTGRES_URL"
else
  start_stack
fi
TENANT=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"displayName":"webhooks"}' "$API/v1/tenants" | json_field id)
KEY=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"role":"admin"}' "$API/v1/tenants/$TENANT/apiKeys" | json_field key)
ORG=$(curl -sf -H "Authorization: Bearer $KEY" -d '{"displayName":"latency"}' "$API/v1/organizations" | json_field id)
echo "== webhook delivery, $ENGINE, $RATE events/s for ${SECONDS_}s"
node tests/load/webhook-latency.mjs "$API" "$KEY" "$ORG" "$RATE" "$SECONDS_"
