#!/usr/bin/env bash
# The one list of Debian packages the suite needs to build, run and test.
# Idempotent: installs only what is missing, so run.sh and tests/run.sh call it every time.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config clang-format
  # gRPC, protobuf, Abseil
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  # google/rpc/{status,error_details}.proto, generated at build time
  golang-github-gogo-googleapis-dev
  # storage, cache, metrics, HTTP
  libhiredis-dev prometheus-cpp-dev libboost1.81-dev libsqlite3-dev libpq-dev
  libspdlog-dev nlohmann-json3-dev
  # webhook deliveries
  libcurl4-openssl-dev
  # principal tokens between the suite's components (JOSE on OpenSSL)
  libcjose-dev libjansson-dev
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev redis-server redis-tools postgresql
  curl jq wrk python3-grpcio shellcheck chromium nginx-light
  # run.sh makes the key pair that signs principal tokens inside the suite
  openssl
  # fuzzing (libFuzzer) and sanitizers
  clang libclang-rt-14-dev
  # reports: XLSX, PDF with Japanese fonts; and the tools the report tests read them with
  libxlsxwriter-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk unzip poppler-utils libxml2-utils
  # the self-check sheet's importer (ZIP and XML), and the independent writer of its test files
  libzip-dev libxml2-dev python3-openpyxl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm ships inside some nodejs builds; Debian's own splits it out.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
