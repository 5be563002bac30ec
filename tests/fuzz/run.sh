#!/usr/bin/env bash
# Builds the libFuzzer targets if needed (tests/fuzz/build.sh), then runs each
# one for SECONDS (default 30) from its seed corpus in tests/fuzz/corpus/<name>/ (the sheet
# target's seeds are workbooks tests/sheets/make_sheets.py writes here, never committed).
#   bash tests/fuzz/run.sh [SECONDS]
# New inputs go to a scratch folder, so the committed corpus is never touched.
# Any crash, sanitizer report, timeout (>10 s on one input) or memory blow-up
# (>2 GiB) fails the run; the input is kept as build/fuzz/artifacts/<name>-*
# and the end of the fuzzer's log is shown. Exit status: 0 only if every target
# ran clean.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECS=${1:-30}
OUT=${SOCM_FUZZ_BUILD_DIR:-$ROOT/build/fuzz}
TARGETS=(http_request json_body catalogue answers sheet webhook principal_token oidc)

bash tests/fuzz/build.sh
mkdir -p "$OUT/artifacts"
SCRATCH=$(mktemp -d /tmp/socm-fuzz-XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p "$SCRATCH/sheet-seeds"
for kind in isogj variations inline_and_formulas problems dtd bad_index not_a_zip; do
  /usr/bin/python3 tests/sheets/make_sheets.py "$kind" "$SCRATCH/sheet-seeds/$kind.xlsx" \
    services/catalogue/data/isogj-soc-csirt/2.1.json >/dev/null
done

failed=()
for name in "${TARGETS[@]}"; do
  dict=tests/fuzz/json.dict
  corpus=tests/fuzz/corpus/$name
  [ "$name" = http_request ] && dict=tests/fuzz/http.dict
  [ "$name" = sheet ] && dict=tests/fuzz/sheet.dict && corpus=$SCRATCH/sheet-seeds
  mkdir -p "$SCRATCH/$name"
  log="$SCRATCH/$name.log"
  start=$(date +%s)
  if "$OUT/${name}_fuzz" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -dict="$dict" -artifact_prefix="$OUT/artifacts/$name-" \
    "$SCRATCH/$name" "$corpus" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
    echo "fuzz $name: ok, $runs runs in $(($(date +%s) - start)) s, coverage $cov edges"
  else
    echo "fuzz $name: FAILED after $(($(date +%s) - start)) s; last lines of its log:"
    tail -n 40 "$log" | sed 's/^/    /'
    find "$OUT/artifacts" -name "$name-*" | sed 's/^/    input: /'
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: all ${#TARGETS[@]} targets ran ${SECS} s each without a finding"
