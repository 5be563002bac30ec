#!/usr/bin/env bash
# Measures the practice routes at an MSSP's scale, the suite on PostgreSQL (fsync on) on this
# machine, 1,000 organisations:
# - POST /v1/campaigns over all 1,000 (1,000 draft assessments and their audit entries in one
#   transaction), timed with curl, three times;
# - GET /v1/portfolio with every organisation's latest assessment answered (54 roles each):
#   a JSON page of 500 and the CSV of everyone, one request at a time (wrk, 1 connection);
# - the reference: nginx serving the same JSON page's bytes, with the same wrk settings.
# Not part of tests/run.sh.
#   bash tests/load/bench-practice.sh [seconds=10] [organisations=1000]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-10}
N=${2:-1000}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx-light >/dev/null

eval "$(SOCM_PG_DURABILITY=on bash tests/start-postgres.sh)"
trap 'cleanup; bash tests/start-postgres.sh stop "$SOCM_TEST_POSTGRES_DIR" >/dev/null 2>&1' EXIT
start_stack "$SOCM_TEST_POSTGRES_URL"
TENANT=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"displayName":"MSSP"}' "$API/v1/tenants" | json_field id)
KEY=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"role":"admin"}' "$API/v1/tenants/$TENANT/apiKeys" | json_field key)
AUTH=(-H "Authorization: Bearer $KEY")

echo "== $N organisations"
industries=(finance energy retail health government)
seq "$N" | xargs -P 4 -I{} sh -c '
  i={}; ind=$(( i % 5 ))
  curl -sf -H "Authorization: Bearer '"$KEY"'" -o /dev/null \
    -d "{\"displayName\":\"Customer $i\",\"industry\":\"ind$ind\",\"labels\":{\"tier\":\"t$(( i % 3 ))\"}}" \
    '"$API"'/v1/organizations'
echo "industries: ${industries[*]} (stored as ind0..ind4)"

campaign() {  # date -> prints seconds and the number of assessments
  curl -s -o "$WORK/campaign.json" -w '%{time_total}' "${AUTH[@]}" \
    -d "{\"title\":\"Round $1\",\"catalogueId\":\"isogj-soc-csirt\",\"assessedOn\":\"$1\"}" \
    "$API/v1/campaigns"
  echo " $(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["assessments"]))' "$WORK/campaign.json")"
}
echo "== campaign over every organisation"
first=$(campaign 2027-04-01)
echo "RESULT campaign_create seconds=$(echo "$first" | cut -d' ' -f1) assessments=$(echo "$first" | cut -d' ' -f2)"
cp "$WORK/campaign.json" "$WORK/first.json"

echo "== answering 54 roles of each (batchUpdate)"
body=$(curl -sf "${AUTH[@]}" "$API/v1/catalogues/isogj-soc-csirt" | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
roles = [r["code"] for f in c["functions"] for r in f["roles"]]
print(json.dumps({"answers": [{"roleCode": code, "inSource": (i % 5) + 1, "outSource": i % 4} for i, code in enumerate(roles)]}))')
echo "$body" >"$WORK/batch.json"
/usr/bin/python3 -c '
import json, sys
for a in json.load(open(sys.argv[1]))["assessments"]:
    print(a["organizationId"], a["assessmentId"])' "$WORK/first.json" |
  xargs -P 4 -n 2 sh -c 'curl -sf -o /dev/null -H "Authorization: Bearer '"$KEY"'" --data-binary @'"$WORK"'/batch.json \
    '"$API"'/v1/organizations/$0/assessments/$1/answers:batchUpdate'

# Two more rounds, dated earlier so the answered one stays the latest.
for d in 2025-04-01 2026-04-01; do
  r=$(campaign "$d")
  echo "RESULT campaign_create seconds=$(echo "$r" | cut -d' ' -f1) assessments=$(echo "$r" | cut -d' ' -f2)"
done

PAGE="/v1/portfolio?catalogueId=isogj-soc-csirt&pageSize=500"
curl -sf "${AUTH[@]}" "$API$PAGE" -o "$WORK/page.json"
/usr/bin/python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
lines = p["organizations"]
scored = sum(1 for l in lines if l.get("latestAssessment", {}).get("overall", {}).get("score") is not None)
print(f"portfolio page: {len(lines)} organisations, {scored} scored, {len(open(sys.argv[1]).read())} bytes")' "$WORK/page.json"
curl -sf "${AUTH[@]}" "$API/v1/portfolio?catalogueId=isogj-soc-csirt&format=csv" -o "$WORK/all.csv"
echo "portfolio CSV: $(( $(wc -l <"$WORK/all.csv") - 1 )) organisations, $(wc -c <"$WORK/all.csv") bytes"

cpu_ms() {  # pid -> user+system CPU milliseconds so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"
}
echo "== portfolio JSON, a page of 500, 1 connection, ${DURATION}s"
declare -A before
for p in gateway assessment scoring; do before[$p]=$(cpu_ms "$(eval echo "\$PID_$p")"); done
out=$(SOCM_KEY=$KEY SOCM_PATH=$PAGE wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/get.lua "$API" | grep RESULT)
echo "$out"
n=$(echo "$out" | sed 's/.*requests=\([0-9]*\).*/\1/')
for p in gateway assessment scoring; do
  echo "RESULT cpu_per_page process=$p ms=$(( ($(cpu_ms "$(eval echo "\$PID_$p")") - before[$p]) / n ))"
done
echo "== every organisation through the JSON pages (500 each, following nextPageToken), 20 times"
/usr/bin/python3 - "$API" "$KEY" <<'PY'
import json, sys, time, urllib.request
api, key = sys.argv[1], sys.argv[2]
def page(token):
    url = f"{api}/v1/portfolio?catalogueId=isogj-soc-csirt&pageSize=500" + (f"&pageToken={token}" if token else "")
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
times, count = [], 0
for _ in range(20):
    t0, token, count = time.perf_counter(), "", 0
    while True:
        p = page(token)
        count += len(p["organizations"])
        token = p.get("nextPageToken", "")
        if not token:
            break
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(f"RESULT portfolio_all_pages organisations={count} p50_ms={times[10]:.1f} p90_ms={times[18]:.1f} max_ms={times[-1]:.1f}")
PY
echo "== portfolio JSON filtered by industry (every organisation read and filtered), 1 connection, ${DURATION}s"
SOCM_KEY=$KEY SOCM_PATH="$PAGE&industry=ind1" wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/get.lua "$API" | grep RESULT
echo "== portfolio CSV of all $N, 1 connection, ${DURATION}s"
SOCM_KEY=$KEY SOCM_PATH="/v1/portfolio?catalogueId=isogj-soc-csirt&format=csv" \
  wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/get.lua "$API" | grep RESULT

NGINX_PORT=$(free_port)
mkdir -p "$WORK/www" && cp "$WORK/page.json" "$WORK/www/page.json"
chmod a+rx "$WORK" "$WORK/www" && chmod a+r "$WORK/www/page.json"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; } }
CONF
spawn nginx nginx -c "$WORK/nginx.conf"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/page.json" >/dev/null && break; sleep 0.1; done
echo "== reference: nginx GET of the same JSON page's bytes, 1 connection, ${DURATION}s"
SOCM_KEY=x SOCM_PATH=/page.json wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/get.lua \
  "http://127.0.0.1:$NGINX_PORT" | grep RESULT
