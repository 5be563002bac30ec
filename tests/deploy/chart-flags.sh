#!/usr/bin/env bash
# The chart's `settings` of each component accept exactly the flags its binary reads, less
# those the chart sets itself: a flag added to or removed from the code without the schema
# (helm/soc-maturity/values.schema.json) fails here. Each binary lists its flags with
# --list-flags.
#   bash tests/deploy/chart-flags.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: chart-flags.sh BUILD_DIR}
declare -A binary=([catalogue]=services/catalogue/catalogue [assessment]=services/assessment/assessment
  [scoring]=services/scoring/scoring [reporting]=services/reporting/reporting [gateway]=gateway/gateway)
status=0
for component in catalogue assessment scoring reporting gateway; do
  flags=$("$build/${binary[$component]}" --list-flags)
  /usr/bin/python3 - "$component" "$flags" <<'PY' || status=1
import json, sys
component, flags = sys.argv[1], set(sys.argv[2].split())
schema = json.load(open("helm/soc-maturity/values.schema.json"))
names = schema["properties"]["components"]["properties"][component]["properties"]["settings"]["propertyNames"]
chart_sets = set(names["not"]["enum"])
allowed = set(names["enum"])
expected = flags - chart_sets
ok = True
for name in sorted(expected - allowed):
    print(f"{component}: the binary reads --{name}, which the chart's settings refuse")
    ok = False
for name in sorted(allowed - expected):
    print(f"{component}: the chart's settings accept {name}, which the binary does not read")
    ok = False
if ok:
    print(f"{component}: {len(allowed)} settings, as the binary reads them")
sys.exit(0 if ok else 1)
PY
done
exit "$status"
