#!/usr/bin/env bash
# Runs every load measurement in one go, on this machine, with the suite on
# SQLite, and prints a Markdown table: each figure of ours next to the same
# run's references (nginx serving the same bytes as each read route, the score
# JSON, the radar, the HTML report and the catalogue, as static files with the same
# wrk settings; redis-benchmark GET; gRPC's empty health check, the floor of any direct
# call). Then, each on a suite of its own, the rows of
# issue 12 that need other data: PUT on PostgreSQL over 16 assessments
# (bench-writes.sh), the peer benchmark over 10,000 organisations (bench-benchmark.sh,
# about 2 minutes of seeding), and the gateway's RSS over the soak (soak.sh with the
# warm score on 64 connections, SOCM_SOAK_SECONDS, default 600; 0 leaves it out).
# With --write it also replaces the "Load harness" section of BENCHMARKS.md. Not part
# of tests/run.sh.
#   bash tests/load/run-all.sh [--write] [seconds=15]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WRITE=no
if [ "${1:-}" = "--write" ]; then WRITE=yes; shift; fi
DUR=${1:-15}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx-light >/dev/null

start_stack
make_data
declare -A RSS
for s in catalogue assessment scoring reporting gateway; do
  pid_var=PID_$s
  RSS[$s]=$(rss_kb "${!pid_var}")
done
# Warm the caches the "warm" figures are about.
curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/score" >"$WORK/score.json"
curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/report?format=html&lang=en" >"$WORK/report.html"
curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/radar.svg?lang=en" >"$WORK/radar.svg"
curl -sf -H "Authorization: Bearer $KEY" "$API/v1/catalogues/isogj-soc-csirt?lang=en" >"$WORK/catalogue.json"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
wrk_run() {  # script connections path [extra env]
  SOCM_KEY=$KEY SOCM_PATH=$3 SOCM_BODY_FILE=$WORK/batch.json \
    wrk -t2 -c"$2" -d"${DUR}s" --latency -s "tests/load/$1" "${4:-$API}" | grep RESULT
}

declare -A R
R[score]=$(wrk_run get.lua 64 "$BASE/score")
R[report]=$(wrk_run get.lua 64 "$BASE/report?format=html&lang=en")
R[radar]=$(wrk_run get.lua 64 "$BASE/radar.svg?lang=en")
R[catalogue]=$(wrk_run get.lua 64 "/v1/catalogues/isogj-soc-csirt?lang=en")
R[put]=$(wrk_run put_answer.lua 16 "$BASE/answers")
R[batch]=$(wrk_run post.lua 16 "$BASE/answers:batchUpdate")
R[grpc]=$("$BUILD/tests/grpc_load" --target="127.0.0.1:$SC_PORT" --method=GetScore --tenant="$TENANT" \
  --principal-key-file="$PRINCIPAL_KEY" "${GATEWAY_TLS[@]}" \
  --org="$ORG" --assessment="$ID" --concurrency=64 --seconds="$DUR" | grep RESULT)
# Reference 3: gRPC's own floor here: the scoring server's default health service, called
# by the same client over the same channels, TLS and signed metadata. No handler of ours
# can answer faster than this on this machine.
R[grpc_floor]=$("$BUILD/tests/grpc_load" --target="127.0.0.1:$SC_PORT" --method=HealthCheck --tenant="$TENANT" \
  --principal-key-file="$PRINCIPAL_KEY" "${GATEWAY_TLS[@]}" --concurrency=64 --seconds="$DUR" | grep RESULT)

# Reference 1: nginx serving the very score JSON as a static file, same wrk settings.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/www"
cp "$WORK/score.json" "$WORK/www/score.json"
cp "$WORK/radar.svg" "$WORK/report.html" "$WORK/catalogue.json" "$WORK/www/"
# nginx's workers run as www-data: they must be able to read the files.
chmod a+rx "$WORK" "$WORK/www"
chmod a+r "$WORK/www/"*
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location / { default_type application/json; }
  }
}
CONF
spawn nginx nginx -c "$WORK/nginx.conf"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/score.json" >/dev/null && break; sleep 0.1; done
# The reference must serve the very same bytes, or the comparison means nothing.
cmp -s <(curl -sf "http://127.0.0.1:$NGINX_PORT/score.json") "$WORK/score.json" \
  || { echo "run-all.sh: nginx does not serve the score JSON" >&2; exit 1; }
R[nginx]=$(wrk_run get.lua 64 /score.json "http://127.0.0.1:$NGINX_PORT")
R[nginx_radar]=$(wrk_run get.lua 64 /radar.svg "http://127.0.0.1:$NGINX_PORT")
R[nginx_report]=$(wrk_run get.lua 64 /report.html "http://127.0.0.1:$NGINX_PORT")
R[nginx_catalogue]=$(wrk_run get.lua 64 /catalogue.json "http://127.0.0.1:$NGINX_PORT")

# Reference 2: redis-benchmark GET against the suite's own Redis.
REDIS_GET=$(redis-benchmark -p "$REDIS_PORT" -t get -n 300000 -c 64 -q 2>/dev/null | tr '\r' '\n' | grep -E '^GET' | tail -1)
REDIS_RPS=$(echo "$REDIS_GET" | sed -n 's/GET: \([0-9.]*\) requests.*/\1/p')

# The rows measured on suites of their own: this one stops first, so that they have the
# machine to themselves.
stop_stack
SOAK_SECONDS=${SOCM_SOAK_SECONDS:-600}
R[put_pg]=$(bash tests/load/bench-writes.sh "$DUR" 16 16 postgres | grep RESULT)
bash tests/load/bench-benchmark.sh "$DUR" 10000 >"$WORK/benchmark.txt"
R[benchmark]=$(grep -m1 RESULT "$WORK/benchmark.txt")
R[nginx_benchmark]=$(grep RESULT "$WORK/benchmark.txt" | tail -1)
BENCHMARK_BYTES=$(sed -n 's/.*same JSON bytes (\([0-9]*\) bytes).*/\1/p' "$WORK/benchmark.txt")
SOAK_GATEWAY="not run (SOCM_SOAK_SECONDS=0)"
if [ "$SOAK_SECONDS" -gt 0 ]; then
  bash tests/load/soak.sh "$SOAK_SECONDS" 3000 2 64 >"$WORK/soak.txt" || true
  SOAK_GATEWAY=$(sed -n 's/^gateway: RSS //p' "$WORK/soak.txt")
  SOAK_SCORE=$(sed -n 's/^wrk-score: *//p' "$WORK/soak.txt")
fi

nginx_rps=$(echo "${R[nginx]}" | field rps)
nginx_radar_rps=$(echo "${R[nginx_radar]}" | field rps)
nginx_report_rps=$(echo "${R[nginx_report]}" | field rps)
nginx_catalogue_rps=$(echo "${R[nginx_catalogue]}" | field rps)
redis_rps=${REDIS_RPS%.*}
grpc_floor_rps=$(echo "${R[grpc_floor]}" | field rps)
row() {  # label result reference_rps reference_name
  local rps p50 p99 err
  rps=$(echo "$2" | field rps); p50=$(echo "$2" | field p50_ms); p99=$(echo "$2" | field p99_ms); err=$(echo "$2" | field errors)
  local ratio="—"
  if [ -n "${3:-}" ] && [ "${3:-0}" != "0" ]; then ratio=$(awk -v a="$rps" -v b="$3" 'BEGIN { printf "%.0f %%", 100 * a / b }'); fi
  printf '| %s | %s | %s ms | %s ms | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$err" "${4:-—}" "$ratio"
}
{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`bash tests/load/run-all.sh --write $DUR\` (${DUR}s per run, wrk -t2)."
  echo
  echo "| what | req/s | p50 | p99 | errors | reference | ours / reference |"
  echo "|---|---|---|---|---|---|---|"
  row "warm \`GET …/score\`, 64 conn." "${R[score]}" "$nginx_rps" "nginx, same $(wc -c <"$WORK/score.json") bytes: $nginx_rps/s"
  row "warm \`GET …/radar.svg\`, 64 conn." "${R[radar]}" "$nginx_radar_rps" "nginx, same $(wc -c <"$WORK/radar.svg") bytes: $nginx_radar_rps/s"
  row "warm \`GET …/report?format=html\`, 64 conn." "${R[report]}" "$nginx_report_rps" "nginx, same $(wc -c <"$WORK/report.html") bytes: $nginx_report_rps/s"
  row "\`GET /v1/catalogues/…?lang=en\`, 64 conn." "${R[catalogue]}" "$nginx_catalogue_rps" "nginx, same $(wc -c <"$WORK/catalogue.json") bytes: $nginx_catalogue_rps/s"
  row "\`PUT …/answers/{role}\`, 16 conn." "${R[put]}"
  row "\`PUT …/answers/{role}\` on PostgreSQL (fsync on), 16 conn. over 16 assessments" "${R[put_pg]}"
  row "\`POST …/answers:batchUpdate\` (54 answers), 16 conn." "${R[batch]}"
  row "\`GET /v1/benchmark\` over 10,000 organisations, 1 conn." "${R[benchmark]}" "$(echo "${R[nginx_benchmark]}" | field rps)" "nginx, same ${BENCHMARK_BYTES:-?} bytes, 1 conn.: $(echo "${R[nginx_benchmark]}" | field rps)/s"
  row "gRPC \`GetScore\` direct (warm), 64 in flight" "$(echo "${R[grpc]}" | sed 's/p999_ms=[0-9.]* //')" "$redis_rps" "redis-benchmark GET: ${redis_rps}/s"
  row "gRPC \`GetScore\` direct, against gRPC's floor" "$(echo "${R[grpc]}" | sed 's/p999_ms=[0-9.]* //')" "$grpc_floor_rps" "empty \`grpc.health.v1.Health/Check\`, same server, client, TLS: ${grpc_floor_rps}/s"
  row "nginx static score JSON (reference)" "${R[nginx]}"
  echo
  echo "gRPC GetScore p99.9: $(echo "${R[grpc]}" | field p999_ms) ms."
  echo
  echo "Gateway RSS over the ${SOAK_SECONDS}s soak (\`soak.sh $SOAK_SECONDS 3000 2 64\`: the warm score on 64 connections beside GetScore at 3,000/s, PUTs and reports): $SOAK_GATEWAY${SOAK_SCORE:+; its warm score load: $SOAK_SCORE}."
  echo
  echo "| service | idle RSS after start and setup | ready after start |"
  echo "|---|---|---|"
  for s in catalogue assessment scoring reporting gateway; do
    ready_var=READY_$s
    printf '| %s | %s MB | %s ms |\n' "$s" "$(awk -v k="${RSS[$s]}" 'BEGIN { printf "%.1f", k / 1024 }')" "${!ready_var}"
  done
} | tee "$WORK/table.md"

if [ "$WRITE" = yes ]; then
  /usr/bin/python3 - "$WORK/table.md" <<'PY'
import re, sys
table = open(sys.argv[1]).read()
text = open("BENCHMARKS.md").read()
section = "<!-- load:begin -->\n" + table + "<!-- load:end -->"
if "<!-- load:begin -->" in text:
    text = re.sub(r"<!-- load:begin -->.*?<!-- load:end -->", lambda m: section, text, flags=re.S)
else:
    text += "\n## Load harness: every route next to its references (issue 7)\n\n" + section + "\n"
open("BENCHMARKS.md", "w").write(text)
PY
  echo "BENCHMARKS.md updated"
fi
