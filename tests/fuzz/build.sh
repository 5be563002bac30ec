#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, apart from the main (g++) build:
#   bash tests/fuzz/build.sh            # -> build/fuzz/<name>_fuzz
# SOCM_FUZZ_BUILD_DIR changes the output folder, SOCM_FUZZ_CXX the compiler.
# The protobuf sources are generated here with the system protoc, so the main
# build need not exist. Each object is rebuilt only when its source or one of
# the headers it includes (from clang's .d files) is newer; a target is linked
# only when one of its objects is newer. Our code is instrumented; the system
# libraries (protobuf, absl, Boost headers aside) are not.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${SOCM_FUZZ_BUILD_DIR:-$ROOT/build/fuzz}
CXX=${SOCM_FUZZ_CXX:-/usr/bin/clang++}
SELF=$ROOT/tests/fuzz/build.sh

[ -x "$CXX" ] || {
  echo "build.sh: $CXX not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
}
mkdir -p "$OUT/gen" "$OUT/obj"

# --- protobuf messages (no gRPC stubs needed) ---
PROTOS=(soc/maturity/common/v1/errors.proto soc/maturity/catalogue/v1/catalogue.proto
  soc/maturity/assessment/v1/assessment.proto soc/maturity/assessment/v1/practice.proto
  soc/maturity/assessment/v1/identity.proto soc/maturity/scoring/v1/scoring.proto
  soc/maturity/reporting/v1/reporting.proto)
stale=no
for p in "${PROTOS[@]}"; do
  cc="$OUT/gen/${p%.proto}.pb.cc"
  if [ ! -f "$cc" ] || [ "$ROOT/proto/$p" -nt "$cc" ]; then stale=yes; fi
done
if [ "$stale" = yes ]; then
  echo "  PROTOC ${PROTOS[*]}"
  protoc -I "$ROOT/proto" --cpp_out="$OUT/gen" "${PROTOS[@]/#/$ROOT/proto/}"
fi

# shellcheck disable=SC2054  # the commas belong to the flag
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
FLAGS=(-std=c++17 -g -O1 -I"$ROOT" -I"$OUT/gen" -DSOCM_CATALOGUE_JSON="\"$ROOT/services/catalogue/data/isogj-soc-csirt/2.1.json\"")
read -r -a LIBS <<<"$(pkg-config --libs protobuf grpc++ absl_status absl_statusor absl_strings absl_cord absl_time libzip libxml-2.0 libcurl cjose)"
read -r -a XML_FLAGS <<<"$(pkg-config --cflags libxml-2.0)"
FLAGS+=("${XML_FLAGS[@]}")
LIBS+=(-lcrypto -lpthread)

# True when $1 exists and nothing it was built from is newer.
up_to_date() {
  local obj=$1 dep
  [ -f "$obj" ] && [ -f "$obj.d" ] && [ ! "$SELF" -nt "$obj" ] || return 1
  # shellcheck disable=SC2013  # a .d file lists paths separated by blanks
  for dep in $(sed -e '1s/^[^:]*://' -e 's/\\$//' "$obj.d"); do
    [ "$dep" -nt "$obj" ] && return 1
  done
  return 0
}

# compile SOURCE KIND(lib|target): prints the object's path. SOURCE is
# absolute or relative to the repository.
compile() {
  local src=$1 kind=$2 obj
  case $src in /*) ;; *) src=$ROOT/$src ;; esac
  obj="$OUT/obj/$(echo "${src#"$ROOT"/}" | tr '/' '_').o"
  if ! up_to_date "$obj"; then
    echo "  CXX ${src#"$ROOT"/}" >&2
    local cov=-fsanitize=fuzzer-no-link
    [ "$kind" = target ] && cov=-fsanitize=fuzzer
    "$CXX" "${FLAGS[@]}" "${SAN[@]}" "$cov" -MMD -MF "$obj.d" -c "$src" -o "$obj"
  fi
  echo "$obj"
}

# link NAME TARGET_SOURCE LIBRARY_SOURCES...: builds $OUT/NAME_fuzz.
link() {
  local name=$1 main=$2 objs=() src o bin="$OUT/$1_fuzz" newer=no
  shift 2
  # A failed compile stops the build (a command substitution alone would not).
  o=$(compile "tests/fuzz/$main" target) || exit 1
  objs+=("$o")
  for src in "$@"; do
    o=$(compile "$src" lib) || exit 1
    objs+=("$o")
  done
  [ -f "$bin" ] || newer=yes
  for o in "${objs[@]}"; do [ "$o" -nt "$bin" ] && newer=yes; done
  if [ "$newer" = yes ]; then
    echo "  LINK ${name}_fuzz" >&2
    "$CXX" "${SAN[@]}" -fsanitize=fuzzer "${objs[@]}" "${LIBS[@]}" -o "$bin"
  fi
}

PB=$OUT/gen/soc/maturity
link http_request http_request_fuzz.cc gateway/router.cc gateway/route_table.cc
link json_body json_body_fuzz.cc gateway/binding.cc gateway/route_table.cc gateway/responses.cc \
  services/common/status.cc "$PB/common/v1/errors.pb.cc" "$PB/catalogue/v1/catalogue.pb.cc" \
  "$PB/assessment/v1/assessment.pb.cc" "$PB/assessment/v1/practice.pb.cc" \
  "$PB/assessment/v1/identity.pb.cc" "$PB/scoring/v1/scoring.pb.cc" \
  "$PB/reporting/v1/reporting.pb.cc"
link catalogue catalogue_fuzz.cc services/catalogue/domain/catalogue_rules.cc \
  services/catalogue/domain/model_shape.cc services/common/status.cc \
  "$PB/common/v1/errors.pb.cc" "$PB/catalogue/v1/catalogue.pb.cc" \
  "$PB/assessment/v1/assessment.pb.cc"
link answers answers_fuzz.cc services/assessment/domain/assessment_rules.cc \
  services/catalogue/domain/model_shape.cc services/common/status.cc services/common/crypto.cc \
  "$PB/common/v1/errors.pb.cc" "$PB/catalogue/v1/catalogue.pb.cc" \
  "$PB/assessment/v1/assessment.pb.cc"
link sheet sheet_fuzz.cc services/assessment/domain/sheet_reader.cc \
  services/assessment/domain/assessment_rules.cc services/catalogue/domain/model_shape.cc \
  services/common/status.cc services/common/crypto.cc "$PB/common/v1/errors.pb.cc" \
  "$PB/catalogue/v1/catalogue.pb.cc" "$PB/assessment/v1/assessment.pb.cc"
link webhook webhook_fuzz.cc services/assessment/domain/webhook_rules.cc services/common/status.cc \
  services/common/outbound_address.cc \
  services/common/crypto.cc "$PB/common/v1/errors.pb.cc" "$PB/catalogue/v1/catalogue.pb.cc" \
  "$PB/assessment/v1/assessment.pb.cc" "$PB/assessment/v1/practice.pb.cc"
link principal_token principal_token_fuzz.cc services/common/principal_token.cc \
  services/common/caller.cc services/common/jose_shape.cc services/common/secret_file.cc
link oidc oidc_fuzz.cc services/common/claim_mapping.cc services/common/key_role.cc \
  gateway/oidc/login_flow.cc gateway/oidc/provider_keys.cc gateway/oidc/provider_token.cc \
  gateway/oidc/secret_box.cc services/common/caller.cc services/common/access.cc \
  services/common/jose_shape.cc services/common/crypto.cc services/common/secret_file.cc \
  "$PB/assessment/v1/identity.pb.cc" "$PB/assessment/v1/assessment.pb.cc"
echo "fuzz targets in $OUT"
