#!/usr/bin/env bash
# Measures single-answer PUT throughput and latency through the gateway with
# wrk, on SQLite and on PostgreSQL (fsync on), each with the whole suite on
# this machine. Prints one RESULT line per engine. Not part of tests/run.sh.
#   bash tests/load/bench-writes.sh [seconds=20] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-20}
CONNECTIONS=${2:-16}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null

run_engine() {  # engine [database url]; a fresh suite each time
  (
    # shellcheck source=tests/load/lib.sh
    source tests/load/lib.sh
    start_stack "${2:-}"
    make_data
    echo "== $1: PUT answer, $CONNECTIONS connections, ${DURATION}s"
    SOCM_KEY=$KEY SOCM_PATH=$BASE/answers wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
      -s tests/load/put_answer.lua "$API" | grep -E 'RESULT'
  )
}

run_engine sqlite
# The benchmark's cluster keeps fsync on: the figures must include durable commits.
eval "$(SOCM_PG_DURABILITY=on bash tests/start-postgres.sh)"
trap 'bash tests/start-postgres.sh stop "$SOCM_TEST_POSTGRES_DIR" >/dev/null 2>&1' EXIT
run_engine postgres "$SOCM_TEST_POSTGRES_URL"
