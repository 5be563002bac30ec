#!/usr/bin/env bash
# Measures GET /v1/benchmark over many organisations, each with an approved assessment
# (54 roles answered, levels varying by organisation), on this machine:
# - the route as it runs after approvals (every score kept when it was approved), one request at
#   a time (wrk, 1 connection);
# - the first request after the kept scores are emptied in the database (as for assessments
#   approved before scores were kept): that request scores them all and keeps them; then the
#   next request;
# - the reference: nginx serving the same JSON bytes, with the same wrk settings.
# Not part of tests/run.sh.
#   bash tests/load/bench-benchmark.sh [seconds=10] [organisations=10000] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-10}
N=${2:-10000}
ENGINE=${3:-sqlite}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v nginx >/dev/null || apt-get install -y -qq nginx-light >/dev/null
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3 >/dev/null

if [ "$ENGINE" = postgres ]; then
  eval "$(SOCM_PG_DURABILITY=on bash tests/start-postgres.sh)"
  trap 'cleanup; bash tests/start-postgres.sh stop "$SOCM_TEST_POSTGRES_DIR" >/dev/null 2>&1' EXIT
  start_stack "$SOCM_TEST_POSTGRES_URL"
  run_sql() { psql -qtA "$SOCM_TEST_POSTGRES_URL" -c "$1"; }
else
  start_stack
  run_sql() { sqlite3 "$WORK/assessment.db" "$1"; }
fi
TENANT=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"displayName":"MSSP"}' "$API/v1/tenants" | json_field id)
KEY=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"role":"admin"}' "$API/v1/tenants/$TENANT/apiKeys" | json_field key)
# Who submits does not approve: a second admin.
APPROVER=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"role":"admin"}' "$API/v1/tenants/$TENANT/apiKeys" | json_field key)

echo "== $N organisations, each with an approved assessment ($ENGINE)"
t0=$(date +%s)
/usr/bin/python3 - "$API" "$KEY" "$N" "$APPROVER" <<'PY'
import http.client, json, sys, threading, urllib.parse
api, key, n, approver = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
host = urllib.parse.urlparse(api).netloc
local = threading.local()

def call(method, path, body=None, as_key=key):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection(host, timeout=60)
    local.conn.request(method, path, body=None if body is None else json.dumps(body),
                       headers={"Authorization": f"Bearer {as_key}", "Content-Type": "application/json"})
    r = local.conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else {}

def in_parallel(items, work, threads=8):
    items, lock, failures = list(items), threading.Lock(), []
    def run():
        while True:
            with lock:
                if not items or failures:
                    return
                item = items.pop()
            try:
                work(item)
            except Exception as e:  # noqa: BLE001 - reported below, then fatal
                with lock:
                    failures.append(str(e))
    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts: t.start()
    for t in ts: t.join()
    if failures:
        raise SystemExit(f"seeding failed: {failures[0]}")

in_parallel(range(n), lambda i: call("POST", "/v1/organizations",
            {"displayName": f"Customer {i}", "industry": f"ind{i % 5}"}))
roles = [r["code"] for f in call("GET", "/v1/catalogues/isogj-soc-csirt")["functions"] for r in f["roles"]]
# A campaign holds at most 5,000 organisations: one per industry.
pairs = []
for ind in range(5):
    c = call("POST", "/v1/campaigns", {"title": "Round", "catalogueId": "isogj-soc-csirt",
                                       "assessedOn": "2026-04-01", "industry": f"ind{ind}"})
    pairs += [(a["organizationId"], a["assessmentId"]) for a in c["assessments"]]
def finish(pair):
    org, aid = pair
    base = f"/v1/organizations/{org}/assessments/{aid}"
    shift = sum(map(ord, aid)) % 5
    call("POST", base + "/answers:batchUpdate",
         {"answers": [{"roleCode": r, "inSource": (i + shift) % 6, "outSource": (i * shift) % 4}
                      for i, r in enumerate(roles)]})
    call("POST", base + ":submit", {})
    call("POST", base + ":approve", {}, as_key=approver)
in_parallel(pairs, finish)
print(f"{len(pairs)} assessments answered, submitted and approved")
PY
echo "seeded in $(( $(date +%s) - t0 )) s"
ROUTE="/v1/benchmark?catalogueId=isogj-soc-csirt"
curl -sf -H "Authorization: Bearer $KEY" "$API$ROUTE" -o "$WORK/benchmark.json"
/usr/bin/python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
print("benchmark:", b["organizationCount"], "organisations,", len(b["functions"]), "functions,",
      len(open(sys.argv[1]).read()), "bytes")' "$WORK/benchmark.json"
kept() {
  run_sql "SELECT COUNT(*) FROM assessments a JOIN approved_scores k ON k.tenant_id=a.tenant_id
    AND k.assessment_id=a.id AND k.revision=a.revision" | tr -dc 0-9
}
echo "kept scores: $(kept)"

echo "== GET $ROUTE, 1 connection, ${DURATION}s"
SOCM_KEY=$KEY SOCM_PATH=$ROUTE wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/get.lua "$API" | grep RESULT
if [ "${SOCM_PROFILE:-0}" = 1 ]; then
  command -v perf >/dev/null || apt-get install -y -qq linux-perf >/dev/null
  echo "== where the time goes: perf across all processes during the same load"
  SOCM_KEY=$KEY SOCM_PATH=$ROUTE wrk -t1 -c1 -d"${DURATION}s" -s tests/load/get.lua "$API" >/dev/null &
  load=$!
  sleep 1
  perf record -q -e cpu-clock -a -g -o "$WORK/perf.data" -- sleep "$((DURATION - 2))" 2>/dev/null
  wait "$load"
  set +o pipefail
  perf script -i "$WORK/perf.data" -F pid,ip,sym,dso 2>/dev/null |
    awk '/^[^\t]/ {pid = $1; first = 1; next} first {first = 0; $1 = ""; print pid "\t" $0}' >"$WORK/self.tsv"
  total=$(wc -l <"$WORK/self.tsv")
  for c in gateway scoring assessment catalogue; do
    pid_var=PID_$c
    echo "$c: $(awk -F'\t' -v p="${!pid_var}" -v t="$total" '$1 == p {n++} END {printf "%.1f", 100 * n / t}' "$WORK/self.tsv") % of samples"
  done
  echo "--- top 20 innermost frames, all processes"
  cut -f2 "$WORK/self.tsv" | sed 's/^ *[0-9a-f]* //' | sort | uniq -c | sort -rn | head -20 |
    awk -v t="$total" '{n = $1; $1 = ""; printf "%5.1f %%%s\n", 100 * n / t, $0}'
  set -o pipefail
fi
echo "== the same industry-filtered (a fifth), 1 connection, ${DURATION}s"
SOCM_KEY=$KEY SOCM_PATH="$ROUTE&industry=ind2" wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/get.lua "$API" | grep RESULT

echo "== the first request after the kept scores are emptied (it scores and keeps them all)"
# Such rows come from an upgrade, after which no process holds a benchmark: moving the
# approved generation is that.
run_sql "DELETE FROM approved_scores" >/dev/null
run_sql "UPDATE approved_generations SET generation=generation+1" >/dev/null
echo "kept scores: $(kept)"
for attempt in first second third; do
  # A request that runs out of time keeps what it scored and answers 503: retry.
  echo "RESULT after_emptying request=$attempt $(curl -s -o /dev/null -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $KEY" "$API$ROUTE" | awk '{printf "status=%s ms=%.1f", $1, $2 * 1000}')"
done
echo "kept scores: $(kept)"

serve_with_nginx "$WORK/benchmark.json"
echo "== reference: nginx GET of the same JSON bytes ($(wc -c <"$WORK/benchmark.json") bytes), 1 connection, ${DURATION}s"
SOCM_KEY=x SOCM_PATH=/benchmark.json wrk -t1 -c1 -d"${DURATION}s" --latency -s tests/load/get.lua \
  "http://127.0.0.1:$NGINX_PORT" | grep RESULT
