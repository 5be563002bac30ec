#!/usr/bin/env bash
# Where a warm score's CPU goes, across every process of the machine: starts the suite as
# run-all.sh does (SQLite, mutual TLS and principal tokens on), warms the score, then runs wrk
# (-t2 -c64) on it while `perf record -e cpu-clock -a -g` samples everything, and prints the
# share of each process and the top symbols. With SOCM_PROFILE_GRPC=1 the load is grpc_load
# calling scoring's GetScore directly (64 in flight) instead; with SOCM_PROFILE_PUT=1 it is
# single-answer PUTs through the gateway (16 connections, bench-writes.sh's load); with
# SOCM_PROFILE_PATH=radar.svg (or any path under the assessment, e.g. "report?format=html") it
# is that route, warmed first, on 64 connections. Not part of tests/run.sh.
#   bash tests/load/profile-score.sh [seconds=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DUR=${1:-15}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v perf >/dev/null || apt-get install -y -qq linux-perf >/dev/null

start_stack
make_data
curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/score" >/dev/null
if [ -n "${SOCM_PROFILE_PATH:-}" ]; then
  curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/$SOCM_PROFILE_PATH" >/dev/null
  SOCM_KEY=$KEY SOCM_PATH="$BASE/$SOCM_PROFILE_PATH" wrk -t2 -c64 -d"${DUR}s" --latency \
    -s tests/load/get.lua "$API" >"$WORK/wrk.txt" &
elif [ "${SOCM_PROFILE_PUT:-0}" = 1 ]; then
  SOCM_KEY=$KEY SOCM_PATH=$BASE/answers wrk -t2 -c16 -d"${DUR}s" --latency \
    -s tests/load/put_answer.lua "$API" >"$WORK/wrk.txt" &
elif [ "${SOCM_PROFILE_GRPC:-0}" = 1 ]; then
  "$BUILD/tests/grpc_load" --target="127.0.0.1:$SC_PORT" --method=GetScore --tenant="$TENANT" \
    --principal-key-file="$PRINCIPAL_KEY" "${GATEWAY_TLS[@]}" \
    --org="$ORG" --assessment="$ID" --concurrency=64 --seconds="$DUR" >"$WORK/wrk.txt" &
else
  SOCM_KEY=$KEY SOCM_PATH=$BASE/score wrk -t2 -c64 -d"${DUR}s" --latency -s tests/load/get.lua "$API" \
    >"$WORK/wrk.txt" &
fi
wrk_pid=$!
sleep 1
DATA=${SOCM_PERF_DATA:-$WORK/perf.data}
perf record -q -e cpu-clock -a -g -o "$DATA" -- sleep "$((DUR - 2))" 2>/dev/null
wait "$wrk_pid"
grep RESULT "$WORK/wrk.txt" || cat "$WORK/wrk.txt"
# Lists below are cut with head: a closed pipe there is no failure.
set +o pipefail
# Each sample's process and its own (innermost) frame, one line each.
perf script -i "$DATA" -F pid,ip,sym,dso 2>/dev/null |
  awk '/^[^\t]/ {pid = $1; first = 1; next} first {first = 0; $1 = ""; print pid "\t" $0}' >"$WORK/self.tsv"
total=$(wc -l <"$WORK/self.tsv")
share() { awk -v t="$total" '{n++} END {printf "%.1f", 100 * n / t}'; }
echo "--- share of all ${total} samples (cpu-clock, both cores), per process and where in it"
for c in gateway scoring assessment catalogue reporting; do
  pid_var=PID_$c
  mine() { awk -F'\t' -v p="${!pid_var}" '$1 == p' "$WORK/self.tsv"; }
  echo "$c: $(mine | share) %: kernel $(mine | grep -F '[kernel.kallsyms]' | share) %," \
    "our code (socm::, soc::) $(mine | grep -E 'socm::|soc::' | share) %," \
    "malloc/free $(mine | grep -E ' (malloc|_int_free|_int_malloc|cfree|free|malloc_consolidate|operator new|operator delete)' | share) %"
done
echo "load (wrk or grpc_load): $(awk -F'\t' -v p="$wrk_pid" '$1 == p' "$WORK/self.tsv" | share) %"
echo "idle: $(awk -F'\t' '$1 == 0' "$WORK/self.tsv" | share) %"
echo "--- top 25 innermost frames, all processes"
cut -f2 "$WORK/self.tsv" | sed 's/^ *[0-9a-f]* //' | sort | uniq -c | sort -rn | head -25 |
  awk -v t="$total" '{n = $1; $1 = ""; printf "%5.1f %%%s\n", 100 * n / t, $0}'
