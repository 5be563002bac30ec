#!/usr/bin/env bash
# Measures the Excel path through the gateway, the suite on SQLite on this machine:
# - a 54-role sheet's dry-run import, one request at a time and with 4 connections (wrk);
# - the real import (If-Match, one revision), one at a time (curl);
# - a 5 MiB hostile workbook (a ZIP bomb behind 5 MiB of padding): time to the 400, and the
#   growth of the gateway's and the assessment service's resident memory;
# - the reference: nginx serving the same sheet's bytes, with the same wrk settings.
# Not part of tests/run.sh.
#   bash tests/load/bench-import.sh [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-10}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx-light >/dev/null
XLSX=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet

start_stack
make_data
curl -sf -H "Authorization: Bearer $KEY" "$API$BASE/sheet.xlsx" -o "$WORK/sheet.xlsx"
echo "sheet: $(wc -c <"$WORK/sheet.xlsx") bytes, 54 roles"

echo "== dry-run import, 1 connection, ${DURATION}s"
SOCM_KEY=$KEY SOCM_PATH="$BASE/answers:import?dryRun=true" SOCM_BODY_FILE=$WORK/sheet.xlsx \
  wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/import.lua "$API" | grep RESULT
echo "== dry-run import, 4 connections, ${DURATION}s"
SOCM_KEY=$KEY SOCM_PATH="$BASE/answers:import?dryRun=true" SOCM_BODY_FILE=$WORK/sheet.xlsx \
  wrk -t2 -c4 -d"${DURATION}s" --latency -s tests/load/import.lua "$API" | grep RESULT

echo "== import that writes (If-Match), 50 in a row"
times=()
for _ in $(seq 50); do
  etag=$(curl -sf -H "Authorization: Bearer $KEY" "$API$BASE" | json_field etag)
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $KEY" -H "Content-Type: $XLSX" \
    -H "If-Match: $etag" --data-binary @"$WORK/sheet.xlsx" "$API$BASE/answers:import")
  times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "RESULT write_import p50_ms=%.1f p90_ms=%.1f max_ms=%.1f n=%d\n", a[int(NR*0.5)]*1000, a[int(NR*0.9)]*1000, a[NR]*1000, NR}'

echo "== a 5 MiB hostile workbook"
/usr/bin/python3 tests/sheets/make_sheets.py bomb "$WORK/bomb.xlsx" >/dev/null
/usr/bin/python3 - "$WORK/bomb.xlsx" <<'PY'
import os, sys, zipfile
# 5 MiB less a little of incompressible padding, stored, after the bomb's parts.
with zipfile.ZipFile(sys.argv[1], "a", zipfile.ZIP_STORED) as z:
    z.writestr("xl/media/padding.bin", os.urandom((5 << 20) - os.path.getsize(sys.argv[1]) - 4096))
PY
echo "hostile file: $(wc -c <"$WORK/bomb.xlsx") bytes"
gw_before=$(rss_kb "$PID_gateway"); as_before=$(rss_kb "$PID_assessment")
etag=$(curl -sf -H "Authorization: Bearer $KEY" "$API$BASE" | json_field etag)
out=$(curl -s -w ' %{http_code} %{time_total}' -H "Authorization: Bearer $KEY" -H "Content-Type: $XLSX" \
  -H "If-Match: $etag" --data-binary @"$WORK/bomb.xlsx" "$API$BASE/answers:import")
gw_after=$(rss_kb "$PID_gateway"); as_after=$(rss_kb "$PID_assessment")
echo "answer: $out"
echo "RESULT hostile status=$(echo "$out" | awk '{print $(NF-1)}') ms=$(echo "$out" | awk '{printf "%.0f", $NF*1000}') gateway_rss_growth_mb=$(( (gw_after - gw_before) / 1024 )) assessment_rss_growth_mb=$(( (as_after - as_before) / 1024 ))"

# The reference: nginx serving the same workbook bytes.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/www" && cp "$WORK/sheet.xlsx" "$WORK/www/sheet.xlsx"
chmod a+rx "$WORK" "$WORK/www" && chmod a+r "$WORK/www/sheet.xlsx"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; } }
CONF
spawn nginx nginx -c "$WORK/nginx.conf"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/sheet.xlsx" >/dev/null && break; sleep 0.1; done
cmp -s <(curl -sf "http://127.0.0.1:$NGINX_PORT/sheet.xlsx") "$WORK/sheet.xlsx"
echo "== reference: nginx GET of the same bytes, 4 connections, ${DURATION}s"
SOCM_KEY=x SOCM_PATH=/sheet.xlsx wrk -t2 -c4 -d"${DURATION}s" --latency -s tests/load/get.lua \
  "http://127.0.0.1:$NGINX_PORT" | grep RESULT
