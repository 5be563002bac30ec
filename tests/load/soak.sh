#!/usr/bin/env bash
# Soak: for SECONDS (default 600), a steady open-loop load of GetScore calls
# straight at the scoring service at SCORE_RATE (default 3000/s), beside single-answer
# PUTs, score reads and HTML report reads through the gateway (closed loops of a few
# connections). The PUTs keep changing the assessment, so caches fill, turn over and
# re-render all along, and most GetScore calls fetch and score the whole document: with
# the PUTs running, GetScore tops out near 6,000/s on the 2-core machine of BENCHMARKS.md
# (14,000/s warm), so 3000/s is half the maximum of this mix. Every service's RSS
# is sampled every 10 s. Passes when no service grows by 10 % or more between the
# end of the warm-up (the first 60 s) and the end, and the gateway stays under
# GATEWAY_RSS_LIMIT_MB (default 100). SCORE_CONNECTIONS=64 reads the warm score through
# the gateway on 64 connections (issue 12's "gateway RSS under the 64-connection load").
# Not part of tests/run.sh.
#   bash tests/load/soak.sh [seconds=600] [score_rate=3000] [put_connections=2] [score_connections=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_TOTAL=${1:-600}
RATE=${2:-3000}
PUT_CONNECTIONS=${3:-2}
SCORE_CONNECTIONS=${4:-2}
GATEWAY_RSS_LIMIT_MB=${GATEWAY_RSS_LIMIT_MB:-100}
WARMUP=60
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
[ "$SECONDS_TOTAL" -gt "$WARMUP" ] || { echo "soak.sh: run longer than the ${WARMUP}s warm-up" >&2; exit 2; }

start_stack
make_data
curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/score" >/dev/null

"$BUILD/tests/grpc_load" --target="127.0.0.1:$SC_PORT" --method=GetScore --tenant="$TENANT" --org="$ORG" \
  --principal-key-file="$PRINCIPAL_KEY" "${GATEWAY_TLS[@]}" \
  --assessment="$ID" --rate="$RATE" --seconds="$SECONDS_TOTAL" >"$WORK/grpc.txt" &
LOAD_GRPC=$!
SOCM_KEY=$KEY SOCM_PATH=$BASE/answers wrk -t1 -c"$PUT_CONNECTIONS" -d"${SECONDS_TOTAL}s" \
  -s tests/load/put_answer.lua "$API" >"$WORK/wrk.txt" &
LOAD_WRK=$!
SOCM_KEY=$KEY SOCM_PATH=$BASE/score wrk -t1 -c"$SCORE_CONNECTIONS" -d"${SECONDS_TOTAL}s" \
  -s tests/load/get.lua "$API" >"$WORK/wrk-score.txt" &
LOAD_SCORE=$!
SOCM_KEY=$KEY SOCM_PATH="$BASE/report?format=html&lang=en" wrk -t1 -c1 -d"${SECONDS_TOTAL}s" \
  -s tests/load/get.lua "$API" >"$WORK/wrk-report.txt" &
LOAD_REPORT=$!

SERVICES=(catalogue assessment scoring reporting gateway)
declare -A AT_WARMUP
printf 'second'; printf ' %s' "${SERVICES[@]}"; printf '   (RSS, MB)\n'
for ((t = 10; t <= SECONDS_TOTAL; t += 10)); do
  sleep 10
  printf '%6d' "$t"
  for s in "${SERVICES[@]}"; do
    pid_var=PID_$s
    kb=$(rss_kb "${!pid_var}")
    printf ' %s' "$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')"
    if [ "$t" -eq "$WARMUP" ]; then AT_WARMUP[$s]=$kb; fi
    eval "LAST_$s=$kb"
  done
  printf '\n'
done
wait "$LOAD_GRPC" "$LOAD_WRK" "$LOAD_SCORE" "$LOAD_REPORT" || true
for f in grpc wrk wrk-score wrk-report; do
  printf '%-11s %s\n' "$f:" "$(grep RESULT "$WORK/$f.txt" || echo "no result")"
done

status=0
for s in "${SERVICES[@]}"; do
  last_var=LAST_$s
  growth=$(awk -v a="${AT_WARMUP[$s]}" -v b="${!last_var}" 'BEGIN { printf "%.1f", 100 * (b - a) / a }')
  verdict=ok
  if awk -v g="$growth" 'BEGIN { exit !(g >= 10) }'; then verdict=GROWING; status=1; fi
  if [ "$s" = gateway ] && [ $((${!last_var} / 1024)) -ge "$GATEWAY_RSS_LIMIT_MB" ]; then
    verdict="$verdict, OVER ${GATEWAY_RSS_LIMIT_MB} MB"; status=1
  fi
  echo "$s: RSS $(awk -v k="${AT_WARMUP[$s]}" 'BEGIN { printf "%.1f", k / 1024 }') MB after warm-up -> $(awk -v k="${!last_var}" 'BEGIN { printf "%.1f", k / 1024 }') MB at the end (${growth} %) $verdict"
done
exit $status
