#!/usr/bin/env bash
# The demo a newcomer looks at still seeds: starts the suite on SQLite, runs
# deploy/local/seed-demo.py through the public API, and checks what it made (six customers in
# the portfolio, approved history, a running campaign with progress, a discussion).
#   bash tests/deploy/demo-check.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export SOCM_BUILD_DIR=${1:-${SOCM_BUILD_DIR:-$ROOT/build}}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
start_stack ""  # SQLite
/usr/bin/python3 deploy/local/seed-demo.py "$API" "$TOKEN" "$WORK/key"
KEY=$(cat "$WORK/key")
get() { curl -sf -H "Authorization: Bearer $KEY" "$API$1"; }
get "/v1/portfolio?catalogueId=isogj-soc-csirt" >"$WORK/portfolio.json"
get "/v1/campaigns" >"$WORK/campaigns.json"
/usr/bin/python3 - "$WORK/portfolio.json" "$WORK/campaigns.json" <<'PY'
import json, sys
portfolio = json.load(open(sys.argv[1]))["organizations"]
campaigns = json.load(open(sys.argv[2]))["campaigns"]
assert len(portfolio) == 6, portfolio
assert len({l["industry"] for l in portfolio}) == 3
approved = [l for l in portfolio if l.get("latestAssessment", {}).get("status") == "APPROVED"]
assert len(approved) == 3, "the silver tier's latest is its approved FY2026"
assert len(campaigns) == 1 and campaigns[0]["counts"]["DRAFT"] == 3, campaigns
assert campaigns[0]["assessments"][0]["answered"] == 27, campaigns[0]
print("demo: 6 customers, 3 industries, a campaign over 3 (one half answered)")
PY
