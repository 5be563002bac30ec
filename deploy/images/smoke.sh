#!/usr/bin/env bash
# Starts the five images built by deploy/images/build.sh and runs a small flow through
# the gateway with curl: readiness, an operator-created tenant and admin key, the
# built-in catalogue read with that key, and metrics on both sides. Containers run as
# they would in the chart: host network on loopback ports, read-only root file system
# with a tmpfs /tmp (SQLite lives there), no capabilities, no privilege escalation.
# Stops and removes only the containers it started.
#
#   bash deploy/images/smoke.sh
#
# Environment: SOCM_IMAGE_PREFIX, SOCM_IMAGE_TAG (as build.sh), SOCM_SMOKE_PORT_BASE
# (default 27000: gRPC on BASE+101..104, metrics on BASE+201..204, HTTP on BASE+80),
# SOCM_SMOKE_REDIS_ADDR (host:port of a Redis to use as the cache; default none).
set -euo pipefail
cd "$(dirname "$0")/../.."

PREFIX=${SOCM_IMAGE_PREFIX-localhost/}
TAG=${SOCM_IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^" ]*\)"\{0,1\} *$/\1/p' helm/soc-maturity/Chart.yaml)}
BASE_PORT=${SOCM_SMOKE_PORT_BASE:-27000}
HTTP_PORT=$((BASE_PORT + 80))
API=http://127.0.0.1:$HTTP_PORT
TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
REDIS=${SOCM_SMOKE_REDIS_ADDR:-}

for tool in podman curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "smoke.sh: $tool is missing" >&2; exit 2; }
done

declare -A GRPC=([catalogue]=$((BASE_PORT + 101)) [assessment]=$((BASE_PORT + 102))
                 [scoring]=$((BASE_PORT + 103)) [reporting]=$((BASE_PORT + 104)))
declare -A METRICS=([catalogue]=$((BASE_PORT + 201)) [assessment]=$((BASE_PORT + 202))
                    [scoring]=$((BASE_PORT + 203)) [reporting]=$((BASE_PORT + 204))
                    [gateway]=$((BASE_PORT + 205)))
addr() { echo "127.0.0.1:${GRPC[$1]}"; }

CONTAINERS=()
passed=0
failed=0

# Some sandboxed hosts (seen on a Firecracker VM) refuse every container's
# rlimits, so no OCI runtime can start anything there. The images are then run
# from their own root file systems (podman image mount + chroot), as their
# user, with their entrypoint and environment: the same binaries, libraries
# and data files, without the container runtime around them.
MODE=podman
if ! podman run --rm --runtime runc --network=host "${PREFIX}soc-maturity-gateway:$TAG" --help \
    >/dev/null 2>"${TMPDIR:-/tmp}/socm-smoke-probe.$$" \
    && grep -q 'rlimit' "${TMPDIR:-/tmp}/socm-smoke-probe.$$"; then
  MODE=chroot
  echo "smoke.sh: this host refuses container rlimits; running the images' root file systems with chroot" >&2
fi
rm -f "${TMPDIR:-/tmp}/socm-smoke-probe.$$"
CHROOT_PIDS=()
CHROOT_MOUNTS=()
CHROOT_IMAGES=()
LOGS=$(mktemp -d /tmp/socm-smoke-XXXXXX)
# The suite's CA, a certificate per component and the principal key pair (as
# deploy/local/run.sh makes them), readable by the images' user.
KEYS=$LOGS/keys
bash "$(dirname "$0")/../local/make-keys.sh" "$KEYS"
chmod 0755 "$KEYS"; chmod 0644 "$KEYS"/*

cleanup() {
  if [ ${#CONTAINERS[@]} -gt 0 ]; then
    podman rm -f -t 5 "${CONTAINERS[@]}" >/dev/null 2>&1 || true
  fi
  for pid in "${CHROOT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for m in "${CHROOT_MOUNTS[@]}"; do umount -l "$m" 2>/dev/null || true; done
  for image in "${CHROOT_IMAGES[@]}"; do podman image unmount "$image" >/dev/null 2>&1 || true; done
  rm -rf "$LOGS"
}
trap cleanup EXIT

show_logs() {
  for f in "$LOGS"/*.log; do
    [ -e "$f" ] || continue
    echo "--- $(basename "$f")" >&2
    tail -20 "$f" >&2
  done
  for id in "${CONTAINERS[@]}"; do
    echo "--- logs of $(podman inspect --format '{{.Name}}' "$id" 2>/dev/null || echo "$id")" >&2
    podman logs --tail 20 "$id" >&2 || true
  done
}

check() {  # description, then a command that must succeed
  local what=$1; shift
  if "$@"; then
    passed=$((passed + 1)); echo "ok   $what"
  else
    failed=$((failed + 1)); echo "FAIL $what"
  fi
}

start() {  # component, then environment assignments
  local component=$1; shift
  local env_args=(-e SOCM_HOST=127.0.0.1 -e SOCM_SHUTDOWN_GRACE_MS=2000)
  local keys_in=/run/socm-keys
  [ "$MODE" = chroot ] && keys_in=/tmp/socm-keys
  env_args+=(-e "SOCM_PRINCIPAL_PUBLIC_KEY_FILE=$keys_in/principal.pub"
    -e "SOCM_TLS_CA_FILE=$keys_in/ca.crt" -e "SOCM_TLS_CERT_FILE=$keys_in/$component.crt"
    -e "SOCM_TLS_KEY_FILE=$keys_in/$component.key")
  case $component in
    gateway|assessment) env_args+=(-e "SOCM_PRINCIPAL_KEY_FILE=$keys_in/principal.key") ;;
  esac
  for assignment in "$@"; do env_args+=(-e "$assignment"); done
  if [ "$MODE" = chroot ]; then
    start_chroot "$component" "${env_args[@]}"
    return
  fi
  local id
  id=$(podman run -d --runtime runc --network=host \
    --read-only --tmpfs /tmp:rw,size=64m,mode=1777 \
    --cap-drop=ALL --security-opt=no-new-privileges \
    -v "$KEYS:/run/socm-keys:ro" \
    --name "socm-smoke-$component-$$" \
    "${env_args[@]}" "${PREFIX}soc-maturity-$component:$TAG")
  CONTAINERS+=("$id")
}

start_chroot() {  # component, then -e NAME=VALUE pairs
  local component=$1; shift
  local image="${PREFIX}soc-maturity-$component:$TAG"
  local root user entry
  root=$(podman image mount "$image")
  CHROOT_IMAGES+=("$image")
  user=$(podman image inspect --format '{{.Config.User}}' "$image")
  entry=$(podman image inspect --format '{{range .Config.Entrypoint}}{{.}} {{end}}' "$image")
  local env=()
  while IFS= read -r line; do [ -n "$line" ] && env+=("$line"); done \
    < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image")
  while [ $# -gt 0 ]; do env+=("$2"); shift 2; done
  # The image stays read-only; /tmp is a fresh tmpfs as in the chart, /dev the host's.
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
  CHROOT_MOUNTS+=("$root/tmp")
  cp -r "$KEYS" "$root/tmp/socm-keys"
  mount --bind /dev "$root/dev"
  CHROOT_MOUNTS+=("$root/dev")
  # shellcheck disable=SC2086
  # chroot needs root; --userspec then drops to the image's user, whose uid holds no capability.
  env -i "${env[@]}" setpriv --no-new-privs \
    chroot --userspec="$user" "$root" $entry >"$LOGS/$component.log" 2>&1 &
  CHROOT_PIDS+=($!)
}

redis_env=()
if [ -n "$REDIS" ]; then redis_env=("SOCM_REDIS_ADDR=$REDIS"); fi

start catalogue "SOCM_GRPC_PORT=${GRPC[catalogue]}" "SOCM_METRICS_PORT=${METRICS[catalogue]}" \
  "SOCM_DATABASE_URL=sqlite:///tmp/catalogue.db" "${redis_env[@]}"
start assessment "SOCM_GRPC_PORT=${GRPC[assessment]}" "SOCM_METRICS_PORT=${METRICS[assessment]}" \
  "SOCM_DATABASE_URL=sqlite:///tmp/assessment.db" "SOCM_CATALOGUE_ADDR=$(addr catalogue)"
start scoring "SOCM_GRPC_PORT=${GRPC[scoring]}" "SOCM_METRICS_PORT=${METRICS[scoring]}" \
  "SOCM_ASSESSMENT_ADDR=$(addr assessment)" "SOCM_CATALOGUE_ADDR=$(addr catalogue)"
start reporting "SOCM_GRPC_PORT=${GRPC[reporting]}" "SOCM_METRICS_PORT=${METRICS[reporting]}" \
  "SOCM_ASSESSMENT_ADDR=$(addr assessment)" "SOCM_CATALOGUE_ADDR=$(addr catalogue)" "${redis_env[@]}"
start gateway "SOCM_HTTP_PORT=$HTTP_PORT" "SOCM_METRICS_PORT=${METRICS[gateway]}" "SOCM_OPERATOR_TOKEN=$TOKEN" \
  "SOCM_CATALOGUE_ADDR=$(addr catalogue)" "SOCM_ASSESSMENT_ADDR=$(addr assessment)" \
  "SOCM_SCORING_ADDR=$(addr scoring)" "SOCM_REPORTING_ADDR=$(addr reporting)" "${redis_env[@]}"

ready=false
for _ in $(seq 120); do
  if curl -sf "$API/readyz?all=true" >/dev/null 2>&1; then ready=true; break; fi
  sleep 0.5
done
check "gateway /readyz within 60 s (every backend SERVING)" $ready
if [ "$ready" != true ]; then
  show_logs
  echo "smoke: $passed passed, $failed failed"
  exit 1
fi

check "images run as uid 10001" \
  test "$(podman image inspect --format '{{.Config.User}}' "${PREFIX}soc-maturity-gateway:$TAG")" = "10001:10001"

tenant=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"displayName":"Smoke test MSSP"}' \
  "$API/v1/tenants" | jq -r '.id // empty') || tenant=""
check "operator token creates a tenant" test -n "$tenant"

key=""
if [ -n "$tenant" ]; then
  key=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"role":"admin"}' \
    "$API/v1/tenants/$tenant/apiKeys" | jq -r '.key // empty') || key=""
fi
check "operator token creates the tenant's admin key" test -n "$key"

catalogue=$(curl -sf -H "Authorization: Bearer ${key:-none}" "$API/v1/catalogues/isogj-soc-csirt?lang=en") || catalogue="{}"
check "GET /v1/catalogues/isogj-soc-csirt answers the 9 ISOG-J functions" \
  test "$(jq -r '"\(.id) \(.functions | length)"' <<<"$catalogue")" = "isogj-soc-csirt 9"

status=$(curl -s -o /dev/null -w '%{http_code}' "$API/v1/catalogues/isogj-soc-csirt") || status=000
check "a request without a key is refused with 401" test "$status" = 401

check "gateway metrics port counts the requests" \
  bash -c "curl -sf 'http://127.0.0.1:${METRICS[gateway]}/metrics' | grep -q '^http_requests_total{'"
status=$(curl -s -o /dev/null -w '%{http_code}' "$API/metrics") || status=000
check "the public port serves no metrics (404)" test "$status" = 404
check "catalogue metrics port counts the RPCs" \
  bash -c "curl -sf 'http://127.0.0.1:${METRICS[catalogue]}/metrics' | grep -q '^grpc_server_handled_total{'"

if [ "$failed" -gt 0 ]; then show_logs; fi
echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
