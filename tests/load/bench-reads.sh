#!/usr/bin/env bash
# Measures read throughput through the gateway with wrk, the whole suite on
# this machine on SQLite: a warm (cached) GET …/score, GET of the assessment
# and GET of the catalogue. Prints one RESULT line per route. Not part of tests/run.sh.
#   bash tests/load/bench-reads.sh [seconds=15] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-15}
CONNECTIONS=${2:-64}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null

start_stack
make_data
curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/score" >"$WORK/score.json"
echo "score body: $(wc -c <"$WORK/score.json") bytes"
for route in "$BASE/score" "$BASE" "/v1/catalogues/isogj-soc-csirt?lang=en"; do
  echo "== GET $route, $CONNECTIONS connections, ${DURATION}s"
  SOCM_KEY=$KEY SOCM_PATH=$route wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s tests/load/get.lua "$API" | grep RESULT
done
