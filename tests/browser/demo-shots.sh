#!/usr/bin/env bash
# Retakes the screenshots of README and docs/ from the demo: starts the suite on
# SQLite, seeds the demo MSSP (deploy/local/seed-demo.py) and runs demo-shots.mjs.
#   bash tests/browser/demo-shots.sh [build dir] [out dir=docs]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export SOCM_BUILD_DIR=${1:-${SOCM_BUILD_DIR:-$ROOT/build}}
OUT=${2:-docs}
# shellcheck source=tests/load/lib.sh
source tests/load/lib.sh
start_stack ""  # SQLite
/usr/bin/python3 deploy/local/seed-demo.py "$API" "$TOKEN" "$WORK/key"
SOCM_UI_URL=$API SOCM_DEMO_KEY=$(cat "$WORK/key") node tests/browser/demo-shots.mjs "$OUT"
