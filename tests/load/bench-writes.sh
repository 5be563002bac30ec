#!/usr/bin/env bash
# Measures single-answer PUT throughput and latency through the gateway with
# wrk, on SQLite and on PostgreSQL (fsync on), each with the whole suite on
# this machine. Prints one RESULT line per engine. The requests go to ASSESSMENTS assessments
# in turn (1: all on one, which SQLite's one writer and the row lock serialise anyway; the
# issue's PostgreSQL row spreads 16 connections over 16). Not part of tests/run.sh.
#   bash tests/load/bench-writes.sh [seconds=20] [connections=16] [assessments=1] [engines="sqlite postgres"]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${1:-20}
CONNECTIONS=${2:-16}
ASSESSMENTS=${3:-1}
ENGINES=${4:-sqlite postgres}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null

run_engine() {  # engine [database url]; a fresh suite each time
  (
    # shellcheck source=tests/load/lib.sh
    source tests/load/lib.sh
    start_stack "${2:-}"
    make_data
    more_assessments "$ASSESSMENTS"
    echo "== $1: PUT answer, $CONNECTIONS connections, $ASSESSMENTS assessment(s), ${DURATION}s"
    SOCM_KEY=$KEY SOCM_PATHS=$PATHS wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
      -s tests/load/put_answer.lua "$API" | grep -E 'RESULT'
  )
}

case " $ENGINES " in *" sqlite "*) run_engine sqlite ;; esac
case " $ENGINES " in *" postgres "*) ;; *) exit 0 ;; esac
# The benchmark's cluster keeps fsync on: the figures must include durable commits.
eval "$(SOCM_PG_DURABILITY=on bash tests/start-postgres.sh)"
trap 'bash tests/start-postgres.sh stop "$SOCM_TEST_POSTGRES_DIR" >/dev/null 2>&1' EXIT
run_engine postgres "$SOCM_TEST_POSTGRES_URL"
