#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for tests, or stops one.
#   eval "$(bash tests/start-postgres.sh)"    # exports SOCM_TEST_POSTGRES_URL and _DIR
#   bash tests/start-postgres.sh stop "$SOCM_TEST_POSTGRES_DIR"
# The cluster lives in a fresh temporary directory (data, socket and log), listens
# on 127.0.0.1 only, on a free port, and trusts every local login: it holds
# nothing but test data and goes away with `stop`. SOCM_PG_DURABILITY=on keeps
# fsync on (benchmarks must pay for durable commits). Otherwise fsync is off because a crash
# of a test cluster loses nothing anyone wants. Only the export lines go to
# stdout, so the output can be eval'ed; progress and errors go to stderr.
# Works as root (the server runs as the `postgres` user, initdb refuses root)
# and as an ordinary user (the server runs as that user).
set -euo pipefail

PGBIN=${SOCM_PG_BIN:-/usr/lib/postgresql/15/bin}
MARKER=.socm-test-postgres

die() {
  echo "start-postgres.sh: $*" >&2
  exit 1
}

if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "no 'postgres' user; install the postgresql package"
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

if [ "${1:-}" = stop ]; then
  dir=${2:-}
  [ -n "$dir" ] || die "usage: start-postgres.sh stop DIR"
  # Refuse anything this script did not create: the next line removes it.
  [ -f "$dir/$MARKER" ] || die "$dir was not made by start-postgres.sh; not touching it"
  cd "$dir"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >>"$dir/postgres.log" 2>&1 ||
      echo "start-postgres.sh: pg_ctl stop failed; see $dir/postgres.log" >&2
  fi
  cd /
  rm -rf "$dir"
  exit 0
fi
[ $# -eq 0 ] || die "usage: start-postgres.sh [stop DIR]"

[ -x "$PGBIN/pg_ctl" ] || die "$PGBIN/pg_ctl not found; install the postgresql package"

dir=$(mktemp -d "${TMPDIR:-/tmp}/socm-postgres-XXXXXX")
touch "$dir/$MARKER"
started=no
cleanup_on_failure() {
  if [ "$started" != yes ]; then
    [ -f "$dir/postgres.log" ] && tail -n 20 "$dir/postgres.log" >&2
    cd /
    as_server "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
}
trap cleanup_on_failure EXIT
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
chmod 700 "$dir"
# The server and initdb chdir around; starting from a directory the postgres
# user cannot read (e.g. /root) would make them complain.
cd "$dir"

as_server "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
  >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  die "initdb failed"
}

# Another process can take the port between picking and binding it, so a
# failed start is retried on a new port.
for attempt in 1 2 3; do
  port=$(free_port)
  as_server tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# start-postgres.sh (attempt $attempt)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = ${SOCM_PG_DURABILITY:-off}
synchronous_commit = ${SOCM_PG_DURABILITY:-off}
full_page_writes = ${SOCM_PG_DURABILITY:-off}
EOF
  if as_server "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
    >>"$dir/pg_ctl.log" 2>&1; then
    started=yes
    break
  fi
  echo "start-postgres.sh: start on port $port failed (attempt $attempt)" >&2
done
[ "$started" = yes ] || die "PostgreSQL did not start; see the log above"

started=no # until the database exists, a failure still cleans up
"$PGBIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c 'CREATE DATABASE socm_test' >&2 || die "cannot create database socm_test"
started=yes

printf 'export SOCM_TEST_POSTGRES_URL=%q\n' "postgres://postgres@127.0.0.1:$port/socm_test"
printf 'export SOCM_TEST_POSTGRES_DIR=%q\n' "$dir"
