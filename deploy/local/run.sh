#!/usr/bin/env bash
# Runs the whole suite on this machine: installs what is missing, builds,
# starts Redis and the five processes on 127.0.0.1 with data under ./var/,
# and stops them all on Ctrl-C.
#
# Ports (environment): SOCM_HTTP_PORT (8080), SOCM_REDIS_PORT (6380),
# SOCM_CATALOGUE_PORT (7101), SOCM_ASSESSMENT_PORT (7102), SOCM_SCORING_PORT (7103),
# SOCM_REPORTING_PORT (7104); metrics on 9101..9104, the gateway's on 9105.
# Operator token: SOCM_OPERATOR_TOKEN, or a generated one in var/operator-token.
#   bash deploy/local/run.sh --demo   also seeds a demo MSSP on first start (deploy/local/
#   seed-demo.py: six customers, two years each, a running campaign) and prints its key.
set -euo pipefail
DEMO=false
[ "${1:-}" = "--demo" ] && DEMO=true
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${SOCM_BUILD_DIR:-$ROOT/build}
VAR=$ROOT/var
mkdir -p "$VAR/log" "$VAR/data"

HTTP_PORT=${SOCM_HTTP_PORT:-8080}
REDIS_PORT=${SOCM_REDIS_PORT:-6380}
CATALOGUE_PORT=${SOCM_CATALOGUE_PORT:-7101}
ASSESSMENT_PORT=${SOCM_ASSESSMENT_PORT:-7102}
SCORING_PORT=${SOCM_SCORING_PORT:-7103}
REPORTING_PORT=${SOCM_REPORTING_PORT:-7104}

bash deploy/local/install-deps.sh
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" catalogue assessment scoring reporting gateway

if [ -z "${SOCM_OPERATOR_TOKEN:-}" ]; then
  if [ ! -s "$VAR/operator-token" ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$VAR/operator-token")
  fi
  export SOCM_OPERATOR_TOKEN_FILE=$VAR/operator-token
fi

# Redis as in production: a password on every connection (in a config file, not on the
# command line) and a key that signs every cached value; both generated once under var/.
secret() {  # file: 32 random bytes as hex, made once
  [ -s "$1" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$1")
}
secret "$VAR/redis-password"
secret "$VAR/cache-key"
(umask 077; printf 'requirepass %s\n' "$(cat "$VAR/redis-password")" >"$VAR/redis.conf")
export SOCM_REDIS_PASSWORD_FILE=$VAR/redis-password SOCM_CACHE_KEY_FILE=$VAR/cache-key
# The key that signs the audit chain's seals, kept beside the database rather than in it.
secret "$VAR/audit-key"
export SOCM_AUDIT_KEY_FILE=$VAR/audit-key
# The components trust each other through the suite's own CA (mutual TLS on every hop), and
# who each call is for travels signed: a CA, a certificate per component and the principal
# key pair, made once under var/keys with openssl (deploy/local/make-keys.sh).
KEYS=$VAR/keys
bash deploy/local/make-keys.sh "$KEYS"
export SOCM_TLS_CA_FILE=$KEYS/ca.crt SOCM_PRINCIPAL_PUBLIC_KEY_FILE=$KEYS/principal.pub
SIGNS=(--principal-key-file="$KEYS/principal.key")
identity() {  # component: sets ID to its certificate's flags
  ID=(--tls-cert-file="$KEYS/$1.crt" --tls-key-file="$KEYS/$1.key")
}

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  echo "stopping..."
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop_all INT TERM EXIT

start() {  # name, then the command
  local name=$1; shift
  "$@" >>"$VAR/log/$name.log" 2>&1 &
  PIDS+=($!)
}

start redis redis-server "$VAR/redis.conf" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$VAR/data" \
  --save 60 1 --appendonly no
REDIS=127.0.0.1:$REDIS_PORT
identity catalogue
start catalogue "$BUILD/services/catalogue/catalogue" "${ID[@]}" --grpc-port="$CATALOGUE_PORT" \
  --metrics-port=9101 --redis-addr="$REDIS" \
  --database-url="${SOCM_DATABASE_URL:-sqlite:$VAR/data/catalogue.db}"
# SQLite under var/ by default; SOCM_DATABASE_URL=postgres://... for PostgreSQL.
identity assessment
start assessment "$BUILD/services/assessment/assessment" "${ID[@]}" --grpc-port="$ASSESSMENT_PORT" --metrics-port=9102 \
  --database-url="${SOCM_DATABASE_URL:-sqlite:$VAR/data/assessment.db}" --catalogue-addr="127.0.0.1:$CATALOGUE_PORT" \
  "${SIGNS[@]}" --redis-addr="$REDIS"
BACKENDS=(--assessment-addr="127.0.0.1:$ASSESSMENT_PORT" --catalogue-addr="127.0.0.1:$CATALOGUE_PORT")
identity scoring
start scoring "$BUILD/services/scoring/scoring" "${ID[@]}" --grpc-port="$SCORING_PORT" --metrics-port=9103 "${BACKENDS[@]}" \
  --redis-addr="$REDIS"
identity reporting
start reporting "$BUILD/services/reporting/reporting" "${ID[@]}" --grpc-port="$REPORTING_PORT" --metrics-port=9104 \
  "${BACKENDS[@]}" --redis-addr="$REDIS"
identity gateway
# A fresh one-time link each start signs the operator in to the web UI (no key to make first).
rm -f "$VAR/operator-link"
# Browsers come back from an identity provider to http://localhost (a secure context, so the
# session's Secure cookie holds over plain http); SOCM_PUBLIC_URL names another address.
start gateway "$BUILD/gateway/gateway" "${ID[@]}" --secret-key-file="$KEYS/secrets.key" \
  --public-url="${SOCM_PUBLIC_URL:-http://localhost:$HTTP_PORT}" \
  --http-port="$HTTP_PORT" --metrics-port=9105 --redis-addr="$REDIS" \
  --catalogue-addr="127.0.0.1:$CATALOGUE_PORT" --assessment-addr="127.0.0.1:$ASSESSMENT_PORT" \
  --scoring-addr="127.0.0.1:$SCORING_PORT" --reporting-addr="127.0.0.1:$REPORTING_PORT" "${SIGNS[@]}" \
  --operator-link-file="$VAR/operator-link"

for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/readyz?all=true" >/dev/null 2>&1 && break
  sleep 0.1
done
if curl -sf "http://127.0.0.1:$HTTP_PORT/readyz?all=true" >/dev/null 2>&1; then
  echo "SOC Maturity is running at http://127.0.0.1:$HTTP_PORT/"
else
  echo "not ready yet; logs are in $VAR/log/" >&2
fi
if [ -s "$VAR/operator-link" ]; then
  echo "operator sign-in (one use, 24 h; a new one at each start): $(cat "$VAR/operator-link")"
fi
if [ -n "${SOCM_OPERATOR_TOKEN_FILE:-}" ]; then
  echo "operator token for scripts: $SOCM_OPERATOR_TOKEN_FILE"
else
  echo "operator token for scripts: from SOCM_OPERATOR_TOKEN"
fi
if $DEMO; then
  if [ ! -s "$VAR/demo-key" ]; then
    token=${SOCM_OPERATOR_TOKEN:-$(cat "$VAR/operator-token")}
    /usr/bin/python3 deploy/local/seed-demo.py "http://127.0.0.1:$HTTP_PORT" "$token" "$VAR/demo-key"
  fi
  echo "demo: sign in at http://127.0.0.1:$HTTP_PORT/ with the key in $VAR/demo-key: $(cat "$VAR/demo-key")"
fi
echo "logs: $VAR/log/   (Ctrl-C stops everything)"
wait -n
