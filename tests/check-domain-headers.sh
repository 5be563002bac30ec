#!/usr/bin/env bash
# Proves that nothing compiled into a domain library (services/*/domain)
# includes a gRPC, Redis, Prometheus or SQL header, directly or through another
# header: reads the header dependencies ninja recorded for the objects of every
# *_domain target and fails on any such path.
#   bash tests/check-domain-headers.sh [build dir]
set -euo pipefail
BUILD=${1:-build}
deps=$(ninja -C "$BUILD" -t deps | awk '
  /^[^ ].*: #deps/ { obj = $1; domain = (obj ~ /_domain\.dir\//); next }
  domain && NF { print obj " " $1 }')
objects=$(awk '{print $1}' <<<"$deps" | sort -u | wc -l)
if [ "$objects" -lt 4 ]; then
  echo "check-domain-headers: found the dependencies of only $objects domain objects in $BUILD; build first" >&2
  exit 1
fi
bad=$(grep -E ' [^ ]*(/grpcpp?/|/grpc/|hiredis|prometheus|sqlite3|libpq|postgresql|/pqxx/|\.grpc\.pb\.h|services/common/db/|redis_cache\.h)' <<<"$deps" || true)
if [ -n "$bad" ]; then
  echo "check-domain-headers: domain code includes infrastructure headers:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "check-domain-headers: $objects domain objects include no gRPC, Redis, Prometheus or SQL header"
