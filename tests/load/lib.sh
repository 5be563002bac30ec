# Shared by the load scripts: start the suite on this machine and make data.
# Source it, then call start_stack [sqlite|postgres-url]; it sets API, KEY,
# ORG, ID, TENANT and the ports, and registers cleanup. Everything binds
# 127.0.0.1 on free ports.
BUILD=${SOCM_BUILD_DIR:-$ROOT/build}
WORK=$(mktemp -d /tmp/socm-load-XXXXXX)
PIDS=()
TOKEN=load-operator-token-0123456789

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Stops what start_stack started (a script that goes on to run other measurements).
stop_stack() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
json_field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# Starts a process in the background, logging to $WORK/<name>.log.
spawn() {
  local name=$1; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  eval "PID_${name}=$!"
}

# Milliseconds from start until the process logs its "serving" line.
ready_ms() {  # name
  local t0=$1 name=$2
  for _ in $(seq 500); do
    if grep -q '"msg":"serving"' "$WORK/$name.log" 2>/dev/null; then
      echo $(( ($(date +%s%N) - t0) / 1000000 )); return
    fi
    sleep 0.005
  done
  echo "-1"
}

# The suite's CA, a certificate per component and the principal key pair, as
# deploy/local/run.sh makes them; every process reads the CA and the public key from the
# environment, and takes its own certificate from `identity`. SOCM_LOAD_PLAINTEXT=1 runs the
# components with --insecure-local instead (to measure what mutual TLS costs).
make_principal_keys() {
  KEYS=$WORK/keys
  bash "$(dirname "${BASH_SOURCE[0]}")/../../deploy/local/make-keys.sh" "$KEYS"
  PRINCIPAL_KEY=$KEYS/principal.key
  export SOCM_PRINCIPAL_PUBLIC_KEY_FILE=$KEYS/principal.pub
  if [ "${SOCM_LOAD_PLAINTEXT:-0}" = 1 ]; then
    GATEWAY_TLS=(--insecure-local)
  else
    export SOCM_TLS_CA_FILE=$KEYS/ca.crt
    # What a client acting as a component (grpc_load) presents.
    GATEWAY_TLS=(--tls-cert-file="$KEYS/gateway.crt" --tls-key-file="$KEYS/gateway.key")
  fi
}

identity() {  # component: sets ID to its certificate's flags
  if [ "${SOCM_LOAD_PLAINTEXT:-0}" = 1 ]; then
    ID=(--insecure-local)
  else
    ID=(--tls-cert-file="$KEYS/$1.crt" --tls-key-file="$KEYS/$1.key")
  fi
}

start_stack() {  # [database url]; default SQLite under $WORK; ASSESSMENT_ARGS: more flags
  local db=${1:-}
  REDIS_PORT=$(free_port); CAT_PORT=$(free_port); AS_PORT=$(free_port); SC_PORT=$(free_port)
  RE_PORT=$(free_port); HTTP_PORT=$(free_port)
  spawn redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no
  make_principal_keys
  # One cache key for every component: the revision board's entries, which the assessment
  # service signs, open at the gateway and at scoring.
  (umask 077; head -c 48 /dev/urandom | base64 >"$WORK/cache-key")
  export SOCM_CACHE_KEY_FILE=$WORK/cache-key
  local t0
  identity catalogue
  t0=$(date +%s%N); spawn catalogue "$BUILD/services/catalogue/catalogue" "${ID[@]}" --grpc-port="$CAT_PORT" \
    --metrics-port=0 --redis-addr="127.0.0.1:$REDIS_PORT" --database-url="${db:-sqlite:$WORK/catalogue.db}"
  READY_catalogue=$(ready_ms "$t0" catalogue)
  identity assessment
  # ASSESSMENT_ARGS is split into words on purpose (several flags in one variable).
  # shellcheck disable=SC2086
  t0=$(date +%s%N); spawn assessment "$BUILD/services/assessment/assessment" "${ID[@]}" --grpc-port="$AS_PORT" \
    --metrics-port=0 --database-url="${db:-sqlite:$WORK/assessment.db}" --catalogue-addr="127.0.0.1:$CAT_PORT" \
    --principal-key-file="$PRINCIPAL_KEY" --redis-addr="127.0.0.1:$REDIS_PORT" ${ASSESSMENT_ARGS:-}
  READY_assessment=$(ready_ms "$t0" assessment)
  local backends=(--assessment-addr="127.0.0.1:$AS_PORT" --catalogue-addr="127.0.0.1:$CAT_PORT")
  identity scoring
  t0=$(date +%s%N); spawn scoring "$BUILD/services/scoring/scoring" "${ID[@]}" --grpc-port="$SC_PORT" --metrics-port=0 "${backends[@]}" \
    --redis-addr="127.0.0.1:$REDIS_PORT"
  READY_scoring=$(ready_ms "$t0" scoring)
  identity reporting
  t0=$(date +%s%N); spawn reporting "$BUILD/services/reporting/reporting" "${ID[@]}" --grpc-port="$RE_PORT" --metrics-port=0 \
    "${backends[@]}" --redis-addr="127.0.0.1:$REDIS_PORT"
  READY_reporting=$(ready_ms "$t0" reporting)
  identity gateway
  t0=$(date +%s%N); spawn gateway "$BUILD/gateway/gateway" "${ID[@]}" --http-port="$HTTP_PORT" --metrics-port=0 --operator-token="$TOKEN" \
    --rate-limit-per-second=0 --redis-addr="127.0.0.1:$REDIS_PORT" --catalogue-addr="127.0.0.1:$CAT_PORT" \
    --assessment-addr="127.0.0.1:$AS_PORT" --scoring-addr="127.0.0.1:$SC_PORT" --reporting-addr="127.0.0.1:$RE_PORT" \
    --principal-key-file="$PRINCIPAL_KEY"
  READY_gateway=$(ready_ms "$t0" gateway)
  API=http://127.0.0.1:$HTTP_PORT
  for _ in $(seq 100); do curl -sf "$API/readyz?all=true" >/dev/null && break; sleep 0.1; done
}

# A tenant, an admin key, an organisation and an assessment with all 54 roles answered.
make_data() {
  TENANT=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"displayName":"load"}' "$API/v1/tenants" | json_field id)
  KEY=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"role":"admin"}' "$API/v1/tenants/$TENANT/apiKeys" | json_field key)
  ORG=$(curl -sf -H "Authorization: Bearer $KEY" -d '{"displayName":"load org"}' "$API/v1/organizations" | json_field id)
  ID=$(curl -sf -H "Authorization: Bearer $KEY" \
    -d '{"catalogueId":"isogj-soc-csirt","title":"load","assessedOn":"2026-11-26"}' \
    "$API/v1/organizations/$ORG/assessments" | json_field id)
  local body
  body=$(curl -sf -H "Authorization: Bearer $KEY" "$API/v1/catalogues/isogj-soc-csirt" | /usr/bin/python3 -c '
import json, sys
c = json.load(sys.stdin)
roles = [r["code"] for f in c["functions"] for r in f["roles"]]
print(json.dumps({"answers": [{"roleCode": code, "inSource": (i % 5) + 1} for i, code in enumerate(roles)]}))')
  echo "$body" >"$WORK/batch.json"
  curl -sf -H "Authorization: Bearer $KEY" -d "$body" "$API/v1/organizations/$ORG/assessments/$ID/answers:batchUpdate" >/dev/null
  BASE=/v1/organizations/$ORG/assessments/$ID
}

# N more assessments in $ORG, each answered like the first: their answers paths in $PATHS
# (space-separated, the first one's included).
more_assessments() {  # n
  PATHS="$BASE/answers"
  local i id
  for ((i = 1; i < $1; i++)); do
    id=$(curl -sf -H "Authorization: Bearer $KEY" \
      -d "{\"catalogueId\":\"isogj-soc-csirt\",\"title\":\"load $i\",\"assessedOn\":\"2026-11-26\"}" \
      "$API/v1/organizations/$ORG/assessments" | json_field id)
    curl -sf -H "Authorization: Bearer $KEY" -d @"$WORK/batch.json" \
      "$API/v1/organizations/$ORG/assessments/$id/answers:batchUpdate" >/dev/null
    PATHS="$PATHS /v1/organizations/$ORG/assessments/$id/answers"
  done
}

rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }

# nginx serving `file` as /<its name> on 127.0.0.1:$NGINX_PORT: the reference of a route that
# sends the same bytes.
serve_with_nginx() {  # file
  NGINX_PORT=$(free_port)
  mkdir -p "$WORK/www" && cp "$1" "$WORK/www/"
  # nginx's workers run as www-data: they must be able to read the file.
  chmod a+rx "$WORK" "$WORK/www" && chmod a+r "$WORK/www/$(basename "$1")"
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; } }
CONF
  spawn nginx nginx -c "$WORK/nginx.conf"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/$(basename "$1")" >/dev/null && return; sleep 0.1; done
  echo "nginx does not serve $1" >&2
  return 1
}
